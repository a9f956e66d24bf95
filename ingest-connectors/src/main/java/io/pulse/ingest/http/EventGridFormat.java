package io.pulse.ingest.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pulse.avro.EventType;
import io.pulse.avro.SourceKind;
import io.pulse.ingest.json.EventFieldException;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Azure Event Grid's event schema ({@code /ingest/v1/eventgrid}): an array of {@code {id, topic, subject,
 * eventType, eventTime, data, dataVersion, metadataVersion}}. {@code eventType} is a {@code com.pulse.*} type,
 * {@code data} the Pulse event body plus an optional {@code tenant}. The subscription validation event is
 * answered by {@link EventGridHandshake} before events are read.
 */
final class EventGridFormat extends EventFormat {
    static final String TENANT_FIELD = "tenant";
    private static final Set<String> DATA_FIELDS;
    private static final Set<String> DATA_VERSIONS = Set.of("", "1", "1.0");

    static {
        Set<String> f = new HashSet<>(BODY_FIELDS);
        f.add(TENANT_FIELD);
        DATA_FIELDS = Set.copyOf(f);
    }

    EventGridFormat() {
        super(Map.of("eventId", "id", "tenant", "data." + TENANT_FIELD, "type", "eventType", "eventTime", "eventTime", "source", "topic"),
                "data.");
    }

    @Override
    SourceKind kind() {
        return SourceKind.EVENT_GRID;
    }

    @Override
    List<JsonNode> events(JsonNode document) {
        return arrayOfEvents(document, "Event Grid events");
    }

    @Override
    String root(int index) {
        return "$[" + index + "]";
    }

    @Override
    MappedEvent map(int index, JsonNode node, SourceKey key, Instant ingestionTime) {
        String clientId = peekText(node, "id");
        String tenant = node != null ? peekText(node.get("data"), TENANT_FIELD) : null;
        try {
            JsonFields eg = JsonFields.object(node, "", "an Event Grid event");
            String id = eg.requiredText("id");
            if (id.isEmpty()) {
                throw eg.problem("id", EventFieldException.REQUIRED, "id must be a non-empty string");
            }
            String typeName = eg.requiredText("eventType");
            EventType type = EventTypes.fromCloudEvents(typeName).orElseThrow(() -> eg.problem("eventType", EventFieldException.FORMAT,
                    "eventType must be one of " + EventTypes.cloudEventsNames() + ", got " + JsonFields.quote(typeName)));
            eg.requiredTime("eventTime");
            String dataVersion = eg.text("dataVersion");
            if (dataVersion != null && !DATA_VERSIONS.contains(dataVersion)) {
                throw eg.problem("dataVersion", EventFieldException.FORMAT, "dataVersion must be \"1\" (or left empty), got " + JsonFields.quote(dataVersion));
            }
            eg.text("subject"); // optional, but a string when present
            String topic = eg.text("topic");
            String system = topic == null || topic.isEmpty() ? key.source() : topic;
            JsonFields data = eg.requiredObject("data", "the Pulse event body");
            data.allowOnly(DATA_FIELDS);
            tenant = tenant(data.text(TENANT_FIELD), key, data.pathOf(TENANT_FIELD));
            JsonFields body = JsonFields.object(((ObjectNode) data.node()).deepCopy().without(TENANT_FIELD), "data", "the Pulse event body");
            return readPulseEvent(index, clientId, tenant,
                    pulseEvent(eventIdFor("eventgrid\n" + (topic == null ? "" : topic), id), tenant, type.name(), eg.text("eventTime"), system, body),
                    system, ingestionTime);
        } catch (EventFieldException p) {
            return MappedEvent.failed(index, clientId, tenant, p);
        }
    }
}
