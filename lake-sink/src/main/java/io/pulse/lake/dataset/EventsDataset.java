package io.pulse.lake.dataset;

import io.pulse.avro.Envelope;
import io.pulse.avro.lake.LakeEventRow;
import io.pulse.common.registry.SchemaRegistryClient;
import io.pulse.common.serde.ConfluentWireFormat;
import io.pulse.common.serde.SerdeFactory;
import io.pulse.common.topics.TopicCatalogue;
import io.pulse.lake.layout.HourlyLayout;
import io.pulse.lake.mapping.EnvelopeExtras;
import io.pulse.lake.mapping.LakeEventMapper;
import io.pulse.lake.mapping.LakeMappingException;
import io.pulse.lake.mapping.RecordOrigin;
import java.util.Objects;
import java.util.Optional;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * The {@code events} dataset: every envelope of {@link TopicCatalogue#EVENTS}, flattened to a {@link LakeEventRow}
 * (customer id pseudonymised), in the hour of its event time. Envelopes written with a newer schema that has
 * top-level fields this build does not know get those as extra columns ({@link EnvelopeExtras}).
 */
public final class EventsDataset implements LakeDataset {
    public static final String NAME = "events";

    private final Deserializer<Envelope> envelopes;
    private final Deserializer<GenericRecord> writerSchemaRecords;
    private final SchemaRegistryClient registry;
    private final LakeEventMapper mapper;
    private final EnvelopeExtras extras = new EnvelopeExtras();

    public EventsDataset(SerdeFactory serdes, LakeEventMapper mapper) {
        this.envelopes = serdes.forValue(TopicCatalogue.EVENTS).deserializer();
        this.writerSchemaRecords = serdes.generic(false).deserializer();
        this.registry = serdes.registry();
        this.mapper = Objects.requireNonNull(mapper, "mapper");
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String topic() {
        return TopicCatalogue.EVENTS.name();
    }

    @Override
    public Optional<LakeRow> read(ConsumerRecord<byte[], byte[]> record) {
        if (record.value() == null) {
            throw new LakeMappingException("the record has no value (a tombstone); " + topic() + " holds envelopes only");
        }
        Envelope envelope = envelopes.deserialize(record.topic(), record.headers(), record.value());
        if (envelope == null) {
            throw new LakeMappingException("the deserializer returned no envelope for a " + record.value().length + "-byte value");
        }
        LakeEventRow row = mapper.toRow(envelope, new RecordOrigin(record.topic(), record.partition(), record.offset()));
        var directory = HourlyLayout.directoryOf(NAME, row.getTenant(), row.getEventTime());
        // The deserializer has just fetched the writer's schema: this lookup is answered from the client's cache.
        var writerSchema = registry.getById(ConfluentWireFormat.schemaId(record.topic(), record.value()));
        return Optional.of(extras.forWriterSchema(writerSchema)
                .map(extension -> new LakeRow(directory,
                        extension.extend(row, writerSchemaRecords.deserialize(record.topic(), record.headers(), record.value()))))
                .orElseGet(() -> new LakeRow(directory, row)));
    }
}
