package io.pulse.embedded.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pulse.avro.Envelope;
import io.pulse.common.registry.CompatibilityLevel;
import io.pulse.common.registry.SchemaRegistryClient.RegisteredSchema;
import org.junit.jupiter.api.Test;

class SchemaLogCodecTest {
    private static final RegisteredSchema ENVELOPE_V2 = new RegisteredSchema("pulse.events.v1-value", 2, 7, Envelope.getClassSchema());

    @Test
    void decodesWhatItEncodesForASchemaVersion() {
        SchemaLogCodec.Entry entry = SchemaLogCodec.decode(SchemaLogCodec.schemaKey(ENVELOPE_V2), SchemaLogCodec.schemaValue(ENVELOPE_V2));

        assertThat(entry).isEqualTo(new SchemaLogCodec.SchemaEntry(ENVELOPE_V2));
    }

    @Test
    void decodesWhatItEncodesForTheCompatibilityLevel() {
        SchemaLogCodec.Entry entry = SchemaLogCodec.decode(SchemaLogCodec.configKey(), SchemaLogCodec.configValue(CompatibilityLevel.FULL));

        assertThat(entry).isEqualTo(new SchemaLogCodec.ConfigEntry(CompatibilityLevel.FULL));
    }

    @Test
    void keysAreUniquePerSubjectVersionSoCompactionKeepsEveryVersion() {
        RegisteredSchema v3 = new RegisteredSchema(ENVELOPE_V2.subject(), 3, 7, ENVELOPE_V2.schema());
        RegisteredSchema otherSubject = new RegisteredSchema("other-value", 2, 7, ENVELOPE_V2.schema());

        assertThat(SchemaLogCodec.schemaKey(ENVELOPE_V2))
                .isEqualTo(SchemaLogCodec.schemaKey(new RegisteredSchema(ENVELOPE_V2.subject(), 2, 99, ENVELOPE_V2.schema())))
                .isNotEqualTo(SchemaLogCodec.schemaKey(v3))
                .isNotEqualTo(SchemaLogCodec.schemaKey(otherSubject))
                .isEqualTo("{\"keytype\":\"SCHEMA\",\"subject\":\"pulse.events.v1-value\",\"version\":2,\"magic\":1}");
    }

    @Test
    void setsAsideRecordsItDoesNotWrite() {
        assertThat(SchemaLogCodec.decode("{\"keytype\":\"NOOP\",\"magic\":0}", "{}")).isInstanceOf(SchemaLogCodec.OtherEntry.class);
        assertThat(SchemaLogCodec.decode(SchemaLogCodec.schemaKey(ENVELOPE_V2), null)).isInstanceOf(SchemaLogCodec.OtherEntry.class);
        String deleted = SchemaLogCodec.schemaValue(ENVELOPE_V2).replace("\"deleted\":false", "\"deleted\":true");
        assertThat(SchemaLogCodec.decode(SchemaLogCodec.schemaKey(ENVELOPE_V2), deleted)).isInstanceOf(SchemaLogCodec.OtherEntry.class);
    }

    @Test
    void rejectsCorruptRecordsSayingWhatIsWrong() {
        String key = SchemaLogCodec.schemaKey(ENVELOPE_V2);

        assertThatThrownBy(() -> SchemaLogCodec.decode("not json", "{}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("key is not JSON");
        assertThatThrownBy(() -> SchemaLogCodec.decode(key, "{\"subject\":\"s\",\"version\":1,\"schema\":\"\\\"int\\\"\"}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'id'");
        assertThatThrownBy(() -> SchemaLogCodec.decode(key, "{\"subject\":\"s\",\"version\":1,\"id\":1,\"schema\":\"{nope\"}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not valid Avro");
    }
}
