package io.pulse.ingest.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pulse.avro.SourceKind;
import io.pulse.ingest.json.EventFieldException;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Pulse's own format ({@code application/json} on {@code /ingest/v1/events}): a JSON array of events in
 * the shape {@link io.pulse.ingest.json.JsonEventMapper} reads (see docs/ingest.md). An event without a
 * tenant is for the key's tenant when the key has exactly one; one without an event id gets a random one.
 */
final class PulseJsonFormat extends EventFormat {

    PulseJsonFormat() {
        super(Map.of(), "");
    }

    @Override
    SourceKind kind() {
        return SourceKind.HTTP;
    }

    @Override
    List<JsonNode> events(JsonNode document) {
        return arrayOfEvents(document, "Pulse events (send one event as an array of one)");
    }

    @Override
    String root(int index) {
        return "$[" + index + "]";
    }

    @Override
    MappedEvent map(int index, JsonNode node, SourceKey key, Instant ingestionTime) {
        String clientId = peekText(node, "eventId");
        JsonNode event = node;
        if (node.isObject() && (!node.has("tenant") || node.get("tenant").isNull())) {
            try {
                event = ((ObjectNode) node).deepCopy().put("tenant", tenant(null, key, "tenant"));
            } catch (EventFieldException p) {
                return MappedEvent.failed(index, clientId, null, p);
            }
        }
        return readPulseEvent(index, clientId, peekText(event, "tenant"), event, key.source(), ingestionTime);
    }
}
