package io.pulse.lake.dataset;

import io.pulse.common.config.PulseConfig;
import io.pulse.common.serde.SerdeFactory;
import io.pulse.lake.mapping.LakeEventMapper;
import io.pulse.lake.mapping.Pseudonymiser;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The datasets one sink writes, each from its own topic. */
public final class LakeDatasets {
    private final Map<String, LakeDataset> byTopic = new LinkedHashMap<>();

    private LakeDatasets(List<LakeDataset> datasets) {
        for (LakeDataset dataset : datasets) {
            LakeDataset clash = byTopic.put(dataset.topic(), dataset);
            if (clash != null) {
                throw new IllegalArgumentException("datasets " + clash.name() + " and " + dataset.name() + " both read topic "
                        + dataset.topic());
            }
        }
        if (byTopic.values().stream().map(LakeDataset::name).distinct().count() != byTopic.size()) {
            throw new IllegalArgumentException("two datasets share a name: " + byTopic.values().stream().map(LakeDataset::name).toList());
        }
    }

    /** The lake's datasets: {@code events}, {@code metrics}, {@code alerts}. */
    public static LakeDatasets standard(PulseConfig.Lake lake, SerdeFactory serdes) {
        return of(List.of(
                new EventsDataset(serdes, new LakeEventMapper(new Pseudonymiser(lake.pseudonymisationKey()))),
                WriterSchemaDataset.metrics(serdes),
                WriterSchemaDataset.alerts(serdes)));
    }

    public static LakeDatasets of(List<LakeDataset> datasets) {
        return new LakeDatasets(datasets);
    }

    /** The topics to subscribe to. */
    public List<String> topics() {
        return List.copyOf(byTopic.keySet());
    }

    public List<LakeDataset> all() {
        return List.copyOf(byTopic.values());
    }

    /** @throws IllegalStateException naming the topic if no dataset reads it */
    public LakeDataset forTopic(String topic) {
        LakeDataset dataset = byTopic.get(topic);
        if (dataset == null) {
            throw new IllegalStateException("no lake dataset reads topic " + topic + "; the sink reads " + topics());
        }
        return dataset;
    }
}
