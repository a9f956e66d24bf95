package io.pulse.ingest.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.pulse.avro.EventType;
import io.pulse.avro.SourceKind;
import io.pulse.ingest.json.EventFieldException;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * CloudEvents 1.0 in the JSON event format, structured mode ({@code application/cloudevents+json}, one event)
 * or batched mode ({@code application/cloudevents-batch+json}, an array). Required: {@code specversion} 1.0,
 * {@code id}, {@code source}, {@code type} ({@code com.pulse.*}), and, for Pulse, {@code time} and the Pulse
 * event body as a JSON object in {@code data}; the tenant comes from the {@code tenant} extension attribute or
 * the key. Other extension attributes are ignored.
 */
final class CloudEventsFormat extends EventFormat {
    static final String TENANT_EXTENSION = "tenant";

    private final boolean batch;

    private CloudEventsFormat(boolean batch) {
        super(Map.of("eventId", "id", "tenant", TENANT_EXTENSION, "type", "type", "eventTime", "time", "source", "source"), "data.");
        this.batch = batch;
    }

    static CloudEventsFormat structured() {
        return new CloudEventsFormat(false);
    }

    static CloudEventsFormat batched() {
        return new CloudEventsFormat(true);
    }

    @Override
    SourceKind kind() {
        return SourceKind.CLOUD_EVENTS;
    }

    @Override
    List<JsonNode> events(JsonNode document) {
        if (batch) {
            return arrayOfEvents(document, "CloudEvents (batched mode)");
        }
        if (!document.isObject()) {
            throw IngestHttpException.badRequest("the body must be one CloudEvent as a JSON object (structured mode; "
                    + "send arrays as application/cloudevents-batch+json), got " + JsonFields.describe(document));
        }
        return List.of(document);
    }

    @Override
    String root(int index) {
        return batch ? "$[" + index + "]" : "$";
    }

    @Override
    MappedEvent map(int index, JsonNode node, SourceKey key, Instant ingestionTime) {
        String clientId = peekText(node, "id");
        String tenant = peekText(node, TENANT_EXTENSION);
        try {
            JsonFields ce = JsonFields.object(node, "", "a CloudEvent");
            String specVersion = ce.requiredText("specversion");
            if (!"1.0".equals(specVersion)) {
                throw ce.problem("specversion", EventFieldException.FORMAT, "specversion must be \"1.0\", got " + JsonFields.quote(specVersion));
            }
            String id = nonEmpty(ce, "id");
            String source = nonEmpty(ce, "source");
            String typeName = nonEmpty(ce, "type");
            EventType type = EventTypes.fromCloudEvents(typeName).orElseThrow(() -> ce.problem("type", EventFieldException.FORMAT,
                    "type must be one of " + EventTypes.cloudEventsNames() + ", got " + JsonFields.quote(typeName)));
            ce.requiredTime("time");
            tenant = tenant(ce.text(TENANT_EXTENSION), key, TENANT_EXTENSION);
            checkContentType(ce);
            if (ce.has("data_base64")) {
                throw ce.problem("data_base64", EventFieldException.FORMAT, "binary data is not accepted: send the Pulse event body as a JSON object in data");
            }
            JsonFields data = ce.requiredObject("data", "the Pulse event body");
            data.allowOnly(BODY_FIELDS);
            return readPulseEvent(index, clientId, tenant,
                    pulseEvent(eventIdFor("cloudevents\n" + source, id), tenant, type.name(), ce.text("time"), source, data),
                    source, ingestionTime);
        } catch (EventFieldException p) {
            return MappedEvent.failed(index, clientId, tenant, p);
        }
    }

    private static String nonEmpty(JsonFields ce, String attribute) {
        String v = ce.requiredText(attribute);
        if (v.isEmpty()) {
            throw ce.problem(attribute, EventFieldException.REQUIRED, attribute + " must be a non-empty string");
        }
        return v;
    }

    private static void checkContentType(JsonFields ce) {
        String contentType = ce.text("datacontenttype");
        if (contentType == null) {
            return; // JSON is implied in the JSON event format
        }
        String media = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        if (!media.equals("application/json") && !media.endsWith("+json")) {
            throw ce.problem("datacontenttype", EventFieldException.FORMAT, "datacontenttype must be application/json (or another JSON type), got "
                    + JsonFields.quote(contentType));
        }
    }
}
