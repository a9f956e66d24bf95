package io.pulse.common.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pulse.avro.Envelope;
import io.pulse.avro.Purchase;
import io.pulse.avro.WindowedMetrics;
import io.pulse.common.registry.InMemorySchemaRegistryClient;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.generic.GenericRecordBuilder;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class ConfluentAvroSerdeTest {
    private static final String TOPIC = "pulse.test.v1";

    private final InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();
    private final ConfluentAvroSerializer<Envelope> envelopeSerializer =
            ConfluentAvroSerializer.specific(registry, Envelope.class, false, true);
    private final ConfluentAvroDeserializer<Envelope> envelopeDeserializer =
            ConfluentAvroDeserializer.specific(registry, Envelope.class);

    @Test
    void roundTripsAPurchaseEnvelopeWithExactMoney() {
        Envelope original = TestRecords.purchase();

        Envelope read = envelopeDeserializer.deserialize(TOPIC, envelopeSerializer.serialize(TOPIC, original));

        assertThat(read).isEqualTo(original);
        Purchase purchase = (Purchase) read.getPayload();
        assertThat(purchase.getTotal().getAmount()).isEqualTo(new BigDecimal("39.9850"));
        assertThat(purchase.getTotal().getAmount().scale()).isEqualTo(4);
        assertThat(purchase.getLineItems()).hasSize(2);
        assertThat(purchase.getLineItems().get(1).getUnitPrice().getAmount()).isEqualTo(new BigDecimal("0.0050"));
        assertThat(read.getEventTime()).isEqualTo(Instant.parse("2025-03-01T10:15:30.123Z"));
    }

    @Test
    void roundTripsWindowedMetrics() {
        var serializer = ConfluentAvroSerializer.specific(registry, WindowedMetrics.class, false, true);
        var deserializer = ConfluentAvroDeserializer.specific(registry, WindowedMetrics.class);

        WindowedMetrics read = deserializer.deserialize(TOPIC, serializer.serialize(TOPIC, TestRecords.metrics()));

        assertThat(read).isEqualTo(TestRecords.metrics());
    }

    @Test
    void framesTheRecordWithMagicByteZeroAndTheRegisteredSchemaId() {
        // Something else first, so that the envelope's id is not the trivial 1.
        registry.register("other-value", WindowedMetrics.getClassSchema());

        byte[] bytes = envelopeSerializer.serialize(TOPIC, TestRecords.purchase());

        int registeredId = registry.getLatest(TOPIC + "-value").id();
        assertThat(registeredId).isEqualTo(2);
        assertThat(bytes[0]).isEqualTo((byte) 0);
        assertThat(ByteBuffer.wrap(bytes, 1, 4).getInt()).isEqualTo(registeredId);
        assertThat(registry.getById(registeredId)).isEqualTo(Envelope.getClassSchema());
    }

    @Test
    void registersKeysUnderTheKeySubject() {
        var keySerializer = ConfluentAvroSerializer.specific(registry, WindowedMetrics.class, true, true);

        keySerializer.serialize(TOPIC, TestRecords.metrics());

        assertThat(registry.subjects()).containsExactly(TOPIC + "-key");
    }

    @Test
    void readsDataWrittenWithAnOlderSchemaIntoTheCurrentClass() {
        Schema older = withoutField(WindowedMetrics.getClassSchema(), "channel");
        GenericRecord old = new GenericRecordBuilder(older)
                .set("tenant", "acme").set("store_id", "berlin-01").set("window_size", "PT1M")
                .set("window_start", 1_740_823_700_000L).set("window_end", 1_740_823_760_000L)
                .set("events", 5L).set("final", false)
                .build();
        byte[] writtenByOldProducer = ConfluentAvroSerializer.generic(registry, false, true).serialize(TOPIC, old);
        // The current class is a BACKWARD-compatible second version of the subject.
        int currentId = registry.register(TOPIC + "-value", WindowedMetrics.getClassSchema());
        assertThat(registry.getVersions(TOPIC + "-value")).containsExactly(1, 2);
        assertThat(ByteBuffer.wrap(writtenByOldProducer, 1, 4).getInt()).isNotEqualTo(currentId);

        WindowedMetrics read = ConfluentAvroDeserializer.specific(registry, WindowedMetrics.class)
                .deserialize(TOPIC, writtenByOldProducer);

        assertThat(read.getChannel()).as("added field takes its default").isNull();
        assertThat(read.getStoreId()).isEqualTo("berlin-01");
        assertThat(read.getWindowStart()).isEqualTo(Instant.ofEpochMilli(1_740_823_700_000L));
        assertThat(read.getEvents()).isEqualTo(5L);
    }

    @Test
    void roundTripsGenericRecordsInTheWriterSchema() {
        byte[] bytes = ConfluentAvroSerializer.specific(registry, WindowedMetrics.class, false, true)
                .serialize(TOPIC, TestRecords.metrics());

        GenericRecord generic = ConfluentAvroDeserializer.generic(registry).deserialize(TOPIC, bytes);

        assertThat(generic.getSchema().getFullName()).isEqualTo("io.pulse.avro.WindowedMetrics");
        assertThat(generic.get("tenant")).hasToString("acme");
        assertThat(generic.get("window_start")).as("raw timestamp-millis").isEqualTo(1_740_824_100_000L);
        byte[] again = ConfluentAvroSerializer.generic(registry, false, true).serialize(TOPIC, generic);
        assertThat(ConfluentAvroDeserializer.specific(registry, WindowedMetrics.class).deserialize(TOPIC, again))
                .isEqualTo(TestRecords.metrics());
    }

    @Test
    void writesGenericRecordsHoldingBigDecimalsIntoDecimalFields() {
        Schema money = io.pulse.avro.Money.getClassSchema();
        GenericRecord record = new GenericData.Record(money);
        record.put("amount", new BigDecimal("12.3400"));
        record.put("currency", "EUR");

        byte[] bytes = ConfluentAvroSerializer.generic(registry, false, true).serialize(TOPIC, record);

        assertThat(ConfluentAvroDeserializer.specific(registry, io.pulse.avro.Money.class).deserialize(TOPIC, bytes).getAmount())
                .isEqualTo(new BigDecimal("12.3400"));
    }

    @Test
    void mapsNullToNullBothWays() {
        assertThat(envelopeSerializer.serialize(TOPIC, null)).isNull();
        assertThat(envelopeDeserializer.deserialize(TOPIC, null)).isNull();
        assertThat(registry.subjects()).isEmpty();
    }

    @Test
    void rejectsAWrongMagicByteNamingTopicAndByte() {
        byte[] bytes = envelopeSerializer.serialize(TOPIC, TestRecords.purchase());
        bytes[0] = 0x7b; // '{': somebody wrote JSON

        assertThatThrownBy(() -> envelopeDeserializer.deserialize(TOPIC, bytes))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("'" + TOPIC + "'")
                .hasMessageContaining("magic byte 0x7b");
    }

    @Test
    void rejectsARecordTooShortForTheHeader() {
        assertThatThrownBy(() -> envelopeDeserializer.deserialize(TOPIC, new byte[] {0, 0, 1}))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("'" + TOPIC + "'")
                .hasMessageContaining("3 bytes");
    }

    @Test
    void rejectsAnUnknownSchemaIdNamingIt() {
        byte[] bytes = envelopeSerializer.serialize(TOPIC, TestRecords.purchase());
        ByteBuffer.wrap(bytes, 1, 4).putInt(4242);

        assertThatThrownBy(() -> envelopeDeserializer.deserialize(TOPIC, bytes))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("schema id 4242")
                .hasMessageContaining("'" + TOPIC + "'");
    }

    @Test
    void rejectsDataThatDoesNotMatchItsSchemaId() {
        int metricsId = registry.register("other-value", WindowedMetrics.getClassSchema());
        byte[] bytes = envelopeSerializer.serialize(TOPIC, TestRecords.purchase());
        ByteBuffer.wrap(bytes, 1, 4).putInt(metricsId);

        assertThatThrownBy(() -> ConfluentAvroDeserializer.generic(registry).deserialize(TOPIC, bytes))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("writer schema id " + metricsId)
                .hasMessageContaining("'" + TOPIC + "'");
    }

    @Test
    void withoutAutoRegistrationFailsNamingTheSubjectWhenNothingIsRegistered() {
        var serializer = ConfluentAvroSerializer.specific(registry, Envelope.class, false, false);

        assertThatThrownBy(() -> serializer.serialize(TOPIC, TestRecords.purchase()))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("'" + TOPIC + "-value'")
                .hasMessageContaining("no registered schema");
        assertThat(registry.subjects()).isEmpty();
    }

    @Test
    void withoutAutoRegistrationUsesTheLatestRegisteredVersion() {
        int id = registry.register(TOPIC + "-value", Envelope.getClassSchema());
        var serializer = ConfluentAvroSerializer.specific(registry, Envelope.class, false, false);

        byte[] bytes = serializer.serialize(TOPIC, TestRecords.purchase());

        assertThat(ByteBuffer.wrap(bytes, 1, 4).getInt()).isEqualTo(id);
        assertThat(envelopeDeserializer.deserialize(TOPIC, bytes)).isEqualTo(TestRecords.purchase());
    }

    @Test
    void withoutAutoRegistrationRefusesALatestVersionWithAnotherLayout() {
        registry.register(TOPIC + "-value", withoutField(WindowedMetrics.getClassSchema(), "channel"));
        var serializer = ConfluentAvroSerializer.specific(registry, WindowedMetrics.class, false, false);

        assertThatThrownBy(() -> serializer.serialize(TOPIC, TestRecords.metrics()))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("latest version 1")
                .hasMessageContaining("'" + TOPIC + "-value'");
    }

    @Test
    void failsNamingTopicAndSubjectWhenTheRegistryRejectsTheSchema() {
        registry.register(TOPIC + "-value", Schema.createRecord("io.pulse.avro.WindowedMetrics", null, null, false,
                List.of(new Schema.Field("tenant", Schema.create(Schema.Type.INT)))));

        assertThatThrownBy(() -> ConfluentAvroSerializer.specific(registry, WindowedMetrics.class, false, true)
                .serialize(TOPIC, TestRecords.metrics()))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("'" + TOPIC + "-value'")
                .hasMessageContaining("tenant");
    }

    @Test
    void failsNamingTheTopicWhenARecordCannotBeEncoded() {
        WindowedMetrics broken = TestRecords.metrics();
        broken.setTenant(null);

        assertThatThrownBy(() -> ConfluentAvroSerializer.specific(registry, WindowedMetrics.class, false, true)
                .serialize(TOPIC, broken))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("'" + TOPIC + "'")
                .hasMessageContaining("tenant");
    }

    /** A copy of a record schema without one (defaulted) field: what an older producer registered. */
    static Schema withoutField(Schema schema, String field) {
        List<Schema.Field> fields = schema.getFields().stream()
                .filter(f -> !f.name().equals(field))
                .map(f -> new Schema.Field(f, f.schema()))
                .collect(Collectors.toList());
        return Schema.createRecord(schema.getName(), schema.getDoc(), schema.getNamespace(), false, fields);
    }
}
