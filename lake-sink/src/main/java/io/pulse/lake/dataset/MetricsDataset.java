package io.pulse.lake.dataset;

import io.pulse.common.serde.SerdeFactory;
import io.pulse.common.topics.TopicCatalogue;
import io.pulse.lake.layout.HourlyLayout;
import java.util.Optional;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The {@code metrics} dataset: the final window results of {@link TopicCatalogue#METRICS}, each record as its
 * writer wrote it (columns are the WindowedMetrics fields, {@code final} included and always true), in the hour
 * of its window start. Provisional updates ({@code final = false}) are skipped.
 */
public final class MetricsDataset implements LakeDataset {
    public static final String NAME = "metrics";

    private final WriterSchemaRecords records;

    public MetricsDataset(SerdeFactory serdes) {
        this.records = new WriterSchemaRecords(serdes.generic(false).deserializer());
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String topic() {
        return TopicCatalogue.METRICS.name();
    }

    @Override
    public Optional<LakeRow> read(ConsumerRecord<byte[], byte[]> record) {
        GenericRecord metrics = records.read(record);
        if (!WriterSchemaRecords.flag(metrics, "final")) {
            return Optional.empty();
        }
        return Optional.of(new LakeRow(HourlyLayout.directoryOf(NAME, WriterSchemaRecords.text(metrics, "tenant"),
                WriterSchemaRecords.instant(metrics, "window_start")), metrics));
    }
}
