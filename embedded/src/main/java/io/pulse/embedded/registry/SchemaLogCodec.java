package io.pulse.embedded.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pulse.common.registry.CompatibilityLevel;
import io.pulse.common.registry.SchemaRegistryClient.RegisteredSchema;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;

/**
 * The records of the registry's storage topic, in the layout of Confluent's {@code _schemas} topic:
 * JSON keys that are unique per subject version (so compaction keeps every version) and per global
 * config, and JSON values.
 *
 * <pre>
 * {"keytype":"SCHEMA","subject":"s","version":1,"magic":1} → {"subject":"s","version":1,"id":3,"schema":"...","deleted":false}
 * {"keytype":"CONFIG","subject":null,"magic":0}             → {"compatibilityLevel":"BACKWARD"}
 * </pre>
 */
final class SchemaLogCodec {
    static final String SCHEMA = "SCHEMA";
    static final String CONFIG = "CONFIG";

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One decoded record: a schema version, a compatibility change, or something this registry does not use. */
    sealed interface Entry permits SchemaEntry, ConfigEntry, OtherEntry {
    }

    record SchemaEntry(RegisteredSchema schema) implements Entry {
    }

    record ConfigEntry(CompatibilityLevel level) implements Entry {
    }

    /** A key type this registry does not write (Confluent's NOOP, deletes), a soft-deleted version, or a tombstone. */
    record OtherEntry(String description) implements Entry {
    }

    private SchemaLogCodec() {
    }

    static String schemaKey(RegisteredSchema registered) {
        ObjectNode key = JSON.createObjectNode();
        key.put("keytype", SCHEMA).put("subject", registered.subject()).put("version", registered.version()).put("magic", 1);
        return key.toString();
    }

    static String schemaValue(RegisteredSchema registered) {
        ObjectNode value = JSON.createObjectNode();
        value.put("subject", registered.subject()).put("version", registered.version()).put("id", registered.id())
                .put("schema", registered.schema().toString()).put("deleted", false);
        return value.toString();
    }

    static String configKey() {
        ObjectNode key = JSON.createObjectNode();
        key.put("keytype", CONFIG).putNull("subject").put("magic", 0);
        return key.toString();
    }

    static String configValue(CompatibilityLevel level) {
        return JSON.createObjectNode().put("compatibilityLevel", level.name()).toString();
    }

    /**
     * Decodes one record.
     *
     * @throws IllegalArgumentException if the record is not what this registry writes (the caller names topic and offset)
     */
    static Entry decode(String key, String value) {
        JsonNode keyNode = parse(key, "key");
        String keyType = keyNode.path("keytype").asText("");
        if (value == null) {
            return new OtherEntry("tombstone for " + keyType + " " + keyNode.path("subject").asText(""));
        }
        JsonNode valueNode = parse(value, "value");
        switch (keyType) {
            case SCHEMA -> {
                if (valueNode.path("deleted").asBoolean(false)) {
                    return new OtherEntry("deleted version " + valueNode.path("version").asInt() + " of "
                            + valueNode.path("subject").asText());
                }
                return new SchemaEntry(new RegisteredSchema(
                        required(valueNode, "subject").asText(),
                        required(valueNode, "version").asInt(),
                        required(valueNode, "id").asInt(),
                        schema(required(valueNode, "schema").asText())));
            }
            case CONFIG -> {
                if (!keyNode.path("subject").isNull() && !keyNode.path("subject").isMissingNode()) {
                    return new OtherEntry("per-subject config of " + keyNode.path("subject").asText());
                }
                return new ConfigEntry(CompatibilityLevel.parse(required(valueNode, "compatibilityLevel").asText()));
            }
            default -> {
                return new OtherEntry("key type '" + keyType + "'");
            }
        }
    }

    private static JsonNode parse(String json, String what) {
        if (json == null) {
            throw new IllegalArgumentException("record has no " + what);
        }
        try {
            JsonNode node = JSON.readTree(json);
            if (node == null || !node.isObject()) {
                throw new IllegalArgumentException("record " + what + " is not a JSON object");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("record " + what + " is not JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static JsonNode required(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw new IllegalArgumentException("record value lacks '" + field + "'");
        }
        return value;
    }

    private static Schema schema(String text) {
        try {
            return new Schema.Parser().parse(text);
        } catch (SchemaParseException e) {
            throw new IllegalArgumentException("stored schema is not valid Avro: " + e.getMessage(), e);
        }
    }
}
