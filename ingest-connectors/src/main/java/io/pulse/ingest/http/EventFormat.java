package io.pulse.ingest.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pulse.avro.Envelope;
import io.pulse.avro.SourceKind;
import io.pulse.ingest.json.EventFieldException;
import io.pulse.ingest.json.JsonEventMapper;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * One way of writing events in a request body: Pulse's JSON batch, CloudEvents (structured or batched), Event
 * Grid. Each format reads its own envelope attributes; the Pulse event body (who, where, the typed payload) is
 * the same in all of them and is read by {@link JsonEventMapper}. Problems name fields in the format's own terms.
 */
abstract class EventFormat {
    /** The fields of the Pulse event body, which CloudEvents and Event Grid carry in {@code data}. */
    static final Set<String> BODY_FIELDS;
    private static final Pattern UUID_TEXT = Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    static {
        Set<String> body = new HashSet<>(JsonEventMapper.FIELDS);
        body.removeAll(Set.of("eventId", "tenant", "type", "eventTime", "source"));
        BODY_FIELDS = Set.copyOf(body);
    }

    private final Map<String, String> ownNames;
    private final String bodyPrefix;

    /**
     * @param ownNames   the format's names of the Pulse event's top-level fields it carries elsewhere ({@code eventTime} is {@code time})
     * @param bodyPrefix where the format carries the rest of the Pulse event ({@code data.})
     */
    EventFormat(Map<String, String> ownNames, String bodyPrefix) {
        this.ownNames = Map.copyOf(ownNames);
        this.bodyPrefix = bodyPrefix;
    }

    abstract SourceKind kind();

    /** The events of the document, in order; a document of the wrong shape is refused with 400. */
    abstract List<JsonNode> events(JsonNode document);

    /** The JSON path of event {@code index} from the document root: {@code $[3]}, or {@code $} for a single event. */
    abstract String root(int index);

    /** Reads one event; never throws for bad input, returns the problem instead. */
    abstract MappedEvent map(int index, JsonNode event, SourceKey key, Instant ingestionTime);

    /** The format's name of an envelope field named by the envelope rules ({@code payload.line_items[0].unit_price}). */
    final String field(String envelopeField) {
        return ownField(JsonEventMapper.jsonField(envelopeField));
    }

    /** The format's name of a field of the Pulse event shape; empty for the event itself. */
    final String ownField(String pulseField) {
        if (pulseField.isEmpty() || pulseField.equals("(event)")) {
            return "";
        }
        return ownNames.getOrDefault(pulseField, bodyPrefix + pulseField);
    }

    /**
     * Reads a Pulse event (for CloudEvents and Event Grid: one assembled from their checked attributes and
     * {@code data}) into an envelope; a problem is reported in the format's own field names.
     */
    final MappedEvent readPulseEvent(int index, String clientEventId, String tenant, JsonNode pulseEvent, String defaultSystem,
                                     Instant ingestionTime) {
        try {
            Envelope envelope = JsonEventMapper.map(pulseEvent, new JsonEventMapper.Context(kind(), defaultSystem, ingestionTime,
                    () -> UUID.randomUUID().toString()));
            return MappedEvent.ok(index, clientEventId, envelope);
        } catch (EventFieldException e) {
            String own = ownField(e.field());
            String message = e.getMessage().startsWith(e.field()) ? own + e.getMessage().substring(e.field().length()) : e.getMessage();
            return MappedEvent.failed(index, clientEventId, tenant, new EventFieldException(own, e.rule(), message));
        }
    }

    /** A Pulse event of the checked envelope attributes and the body in {@code data}. */
    static ObjectNode pulseEvent(String eventId, String tenant, String type, String eventTime, String system, JsonFields data) {
        ObjectNode event = data.node().deepCopy();
        event.put("eventId", eventId).put("tenant", tenant).put("type", type).put("eventTime", eventTime).put("source", system);
        return event;
    }

    static List<JsonNode> arrayOfEvents(JsonNode document, String what) {
        if (!document.isArray()) {
            throw IngestHttpException.badRequest("the body must be a JSON array of " + what + ", got " + JsonFields.describe(document));
        }
        List<JsonNode> events = new ArrayList<>(document.size());
        document.forEach(events::add);
        return events;
    }

    /**
     * The envelope's event id for an id the client chose: a UUID as it is (lower case, so one event has one
     * spelling), anything else as a name-based UUID of its scope and id, so a redelivery gets the same UUID.
     */
    static String eventIdFor(String scope, String id) {
        if (UUID_TEXT.matcher(id).matches()) {
            return id.toLowerCase(Locale.ROOT);
        }
        return UUID.nameUUIDFromBytes((scope + "\n" + id).getBytes(StandardCharsets.UTF_8)).toString();
    }

    /**
     * The event's tenant: the one it names, else the key's only tenant; a key bound to several tenants needs
     * the event to name one.
     */
    static String tenant(String named, SourceKey key, String field) {
        if (named != null) {
            return named;
        }
        String sole = key.soleTenant();
        if (sole == null) {
            throw new EventFieldException(field, EventFieldException.REQUIRED, field + " is required: this key is bound to several tenants ("
                    + String.join(", ", key.tenants()) + ")");
        }
        return sole;
    }

    /** A string at the top of the event, or null when it is absent or not a string (the full read reports that). */
    static String peekText(JsonNode event, String name) {
        JsonNode v = event == null ? null : event.get(name);
        return v != null && v.isTextual() ? v.textValue() : null;
    }
}
