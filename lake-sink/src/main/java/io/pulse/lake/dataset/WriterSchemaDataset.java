package io.pulse.lake.dataset;

import io.pulse.common.serde.SerdeFactory;
import io.pulse.common.topics.Topic;
import io.pulse.common.topics.TopicCatalogue;
import io.pulse.lake.layout.HourlyLayout;
import java.util.Optional;
import java.util.function.Predicate;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * A dataset that stores a topic's records as their writer wrote them (the columns are the record's fields), in the
 * hour of their {@code window_start}, partitioned by their {@code tenant}: the topology's outputs, whose schemas are
 * already the analysts' tables. A filter may leave records out (the provisional metrics).
 */
public final class WriterSchemaDataset implements LakeDataset {
    public static final String METRICS = "metrics";
    public static final String ALERTS = "alerts";

    private final String name;
    private final Topic<?, ?> topic;
    private final WriterSchemaRecords records;
    private final Predicate<GenericRecord> keep;

    private WriterSchemaDataset(String name, Topic<?, ?> topic, SerdeFactory serdes, Predicate<GenericRecord> keep) {
        this.name = name;
        this.topic = topic;
        this.records = new WriterSchemaRecords(serdes.generic(false).deserializer());
        this.keep = keep;
    }

    /**
     * The {@code metrics} dataset: the final window results of {@link TopicCatalogue#METRICS} ({@code final} is a column,
     * always true); provisional updates are left out.
     */
    public static WriterSchemaDataset metrics(SerdeFactory serdes) {
        return new WriterSchemaDataset(METRICS, TopicCatalogue.METRICS, serdes, r -> WriterSchemaRecords.flag(r, "final"));
    }

    /** The {@code alerts} dataset: every record of {@link TopicCatalogue#ALERTS}. */
    public static WriterSchemaDataset alerts(SerdeFactory serdes) {
        return new WriterSchemaDataset(ALERTS, TopicCatalogue.ALERTS, serdes, r -> true);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String topic() {
        return topic.name();
    }

    @Override
    public Optional<LakeRow> read(ConsumerRecord<byte[], byte[]> record) {
        GenericRecord value = records.read(record);
        if (!keep.test(value)) {
            return Optional.empty();
        }
        return Optional.of(new LakeRow(HourlyLayout.directoryOf(name, WriterSchemaRecords.text(value, "tenant"),
                WriterSchemaRecords.instant(value, "window_start")), value));
    }
}
