package io.pulse.lake.dataset;

import io.pulse.common.serde.SerdeFactory;
import io.pulse.common.topics.TopicCatalogue;
import io.pulse.lake.layout.HourlyLayout;
import java.util.Optional;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The {@code alerts} dataset: every record of {@link TopicCatalogue#ALERTS} as its writer wrote it (columns are
 * the Alert fields), in the hour of its window start.
 */
public final class AlertsDataset implements LakeDataset {
    public static final String NAME = "alerts";

    private final WriterSchemaRecords records;

    public AlertsDataset(SerdeFactory serdes) {
        this.records = new WriterSchemaRecords(serdes.generic(false).deserializer());
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String topic() {
        return TopicCatalogue.ALERTS.name();
    }

    @Override
    public Optional<LakeRow> read(ConsumerRecord<byte[], byte[]> record) {
        GenericRecord alert = records.read(record);
        return Optional.of(new LakeRow(HourlyLayout.directoryOf(NAME, WriterSchemaRecords.text(alert, "tenant"),
                WriterSchemaRecords.instant(alert, "window_start")), alert));
    }
}
