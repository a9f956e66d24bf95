package io.pulse.ingest.http;

import static io.pulse.ingest.http.TestEvents.ADMIN_KEY;
import static io.pulse.ingest.http.TestEvents.CLOCK;
import static io.pulse.ingest.http.TestEvents.POS_KEY;
import static io.pulse.ingest.http.TestEvents.WEBSHOP_KEY;
import static io.pulse.ingest.http.TestEvents.array;
import static io.pulse.ingest.http.TestEvents.cloudEvent;
import static io.pulse.ingest.http.TestEvents.eventGridEvent;
import static io.pulse.ingest.http.TestEvents.newId;
import static io.pulse.ingest.http.TestEvents.pageView;
import static io.pulse.ingest.http.TestEvents.pageViewBody;
import static io.pulse.ingest.http.TestEvents.purchase;
import static io.pulse.ingest.http.TestEvents.purchaseBody;
import static io.pulse.ingest.http.TestEvents.settings;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The bad-input suite: every kind of bad request gets its exact 4xx with a reason (and, where one event is
 * at fault, its index and field), never a 5xx, and nothing reaches the delivery path.
 */
class BadInputTest {
    private static final String EVENTS = IngestHttp.EVENTS_PATH;
    private static final String EVENT_GRID = IngestHttp.EVENT_GRID_PATH;
    private static final String JSON = "application/json";
    private static final String CE = "application/cloudevents+json";
    private static final String CE_BATCH = "application/cloudevents-batch+json";
    private static final int MAX_BYTES = 16 * 1024;
    private static final int MAX_EVENTS = 20;

    private static final TestDelivery delivery = TestDelivery.collecting();
    private static IngestServer server;

    @BeforeAll
    static void start() {
        server = IngestServer.start(delivery, settings().maxRequestBytes(MAX_BYTES).maxEventsPerRequest(MAX_EVENTS).tenantBurst(1000).build(), CLOCK);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @AfterEach
    void nothingWasDelivered() {
        assertThat(delivery.offeredBatches()).as("bad input never reaches the delivery path").isEmpty();
    }

    /** One bad request and what it must get. */
    record Case(String name, String path, String contentType, String key, String body, int status, String reason, String field) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static Case c(String name, String path, String contentType, String key, String body, int status, String reason, String field) {
        return new Case(name, path, contentType, key, body, status, reason, field);
    }

    private static Case pulse(String name, String body, int status, String reason, String field) {
        return c(name, EVENTS, JSON, WEBSHOP_KEY, body, status, reason, field);
    }

    private static ObjectNode edit(ObjectNode event, Consumer<ObjectNode> change) {
        change.accept(event);
        return event;
    }

    private static ObjectNode payloadOf(ObjectNode event) {
        return (ObjectNode) event.get("payload");
    }

    private static ObjectNode ce(Consumer<ObjectNode> change) {
        return edit(cloudEvent(newId(), "com.pulse.page-view", "contoso", pageViewBody()), change);
    }

    static Stream<Arguments> badRequests() {
        String valid = array(pageView("contoso", newId()));
        Stream<Case> cases = Stream.of(
                // malformed JSON and document shape
                pulse("truncated JSON", "[{\"type\": \"PAGE_VIEW\",", 400, "malformed JSON", null),
                pulse("not JSON at all", "type=PAGE_VIEW&tenant=contoso", 400, "malformed JSON", null),
                pulse("trailing content after the JSON", valid + " {}", 400, "malformed JSON", null),
                pulse("duplicate keys", "[{\"tenant\": \"contoso\", \"tenant\": \"fabrikam\"}]", 400, "Duplicate field 'tenant'", null),
                pulse("nesting too deep", "[".repeat(3000) + "]".repeat(3000), 400, "malformed JSON", null),
                pulse("invalid UTF-8", new String(new byte[] {'[', '"', (byte) 0xC3, (byte) 0x28, '"', ']'}, StandardCharsets.ISO_8859_1),
                        400, "", null),
                pulse("empty body", "", 400, "empty", null),
                pulse("an object instead of an array", pageView("contoso", newId()).toString(), 400, "JSON array", null),
                pulse("an empty batch", "[]", 400, "no events", null),
                pulse("an event that is not an object", "[42]", 400, "must be a JSON object", null),
                // wrong types
                pulse("quantity as a string", array(edit(purchase("contoso", newId()),
                        e -> ((ObjectNode) payloadOf(e).get("lineItems").get(0)).put("quantity", "2"))), 400, "whole number", "payload.lineItems[0].quantity"),
                pulse("quantity with a fraction", array(edit(purchase("contoso", newId()),
                        e -> ((ObjectNode) payloadOf(e).get("lineItems").get(0)).put("quantity", 1.5))), 400, "whole number", "payload.lineItems[0].quantity"),
                pulse("quantity too large for an int", array(edit(purchase("contoso", newId()),
                        e -> ((ObjectNode) payloadOf(e).get("lineItems").get(0)).put("quantity", 99999999999L))), 400, "whole number", "payload.lineItems[0].quantity"),
                pulse("amount as a JSON number", array(edit(purchase("contoso", newId()),
                        e -> ((ObjectNode) payloadOf(e).get("total")).put("amount", 9.0))), 400, "decimal string", "payload.total.amount"),
                pulse("amount that is not a decimal", array(edit(purchase("contoso", newId()),
                        e -> ((ObjectNode) payloadOf(e).get("total")).put("amount", "9,00"))), 400, "decimal", "payload.total.amount"),
                pulse("event time as a number", array(edit(pageView("contoso", newId()), e -> e.put("eventTime", 1763720940000L))),
                        400, "must be a string", "eventTime"),
                pulse("event time without an offset", array(edit(pageView("contoso", newId()), e -> e.put("eventTime", "2026-11-21 10:29"))),
                        400, "ISO-8601", "eventTime"),
                pulse("payload as a string", array(edit(pageView("contoso", newId()), e -> e.put("payload", "/home"))), 400, "JSON object", "payload"),
                pulse("line items as an object", array(edit(purchase("contoso", newId()), e -> payloadOf(e).putObject("lineItems"))),
                        400, "array", "payload.lineItems"),
                pulse("event id as a number", array(edit(pageView("contoso", newId()), e -> e.put("eventId", 7))), 400, "must be a string", "eventId"),
                // unknown or missing fields, bad values
                pulse("a misspelt field", array(edit(pageView("contoso", newId()), e -> e.put("customerID", "c-1"))), 400, "unknown field", "customerID"),
                pulse("an unknown event type", array(edit(pageView("contoso", newId()), e -> e.put("type", "CHECKOUT"))), 400, "PAGE_VIEW", "type"),
                pulse("a missing event time", array(edit(pageView("contoso", newId()), e -> e.remove("eventTime"))), 400, "required", "eventTime"),
                pulse("an event id that is no UUID", array(pageView("contoso", "order-1")), 400, "not a UUID", "eventId"),
                pulse("an unknown channel", array(edit(pageView("contoso", newId()), e -> e.put("channel", "KIOSK"))), 400, "channel", "channel"),
                pulse("an event time far in the future", array(edit(pageView("contoso", newId()), e -> e.put("eventTime", "2026-11-22T10:00:00Z"))),
                        400, "after the ingestion time", "eventTime"),
                pulse("an event time before 2000", array(edit(pageView("contoso", newId()), e -> e.put("eventTime", "1970-01-01T00:00:00Z"))),
                        400, "before", "eventTime"),
                pulse("a total that is not the lines' sum", array(edit(purchase("contoso", newId()),
                        e -> ((ObjectNode) payloadOf(e).get("total")).put("amount", "9.01"))), 400, "differs from the line items' sum", "payload.total.amount"),
                pulse("a currency that is no ISO code", array(edit(purchase("contoso", newId()),
                        e -> ((ObjectNode) payloadOf(e).get("total")).put("currency", "euro"))), 400, "ISO 4217", "payload.total.currency"),
                pulse("an amount with five decimals", array(edit(purchase("contoso", newId()),
                        e -> ((ObjectNode) payloadOf(e).get("total")).put("amount", "9.00001"))), 400, "decimal places", "payload.total.amount"),
                pulse("a zero quantity", array(edit(purchase("contoso", newId()),
                        e -> ((ObjectNode) payloadOf(e).get("lineItems").get(0)).put("quantity", 0))), 400, "less than 1", "payload.lineItems[0].quantity"),
                pulse("a payload on an OTHER event", array(edit(pageView("contoso", newId()), e -> e.put("type", "OTHER"))), 400, "no payload", "payload"),
                // sizes
                pulse("more events than allowed", array(Stream.generate(() -> pageView("contoso", newId())).limit(MAX_EVENTS + 1).toArray(JsonNode[]::new)),
                        413, "more than the limit of " + MAX_EVENTS, null),
                pulse("a body over the size limit", "[" + " ".repeat(MAX_BYTES) + "]", 413, "over the limit of " + MAX_BYTES + " bytes", null),
                // tenants and credentials
                pulse("a tenant the key is not bound to", array(pageView("northwind", newId())), 403, "not bound", "tenant"),
                pulse("an invalid tenant id", array(pageView("Not_A_Tenant", newId())), 403, "not bound", "tenant"),
                c("a tenant outside a single-tenant key", EVENTS, JSON, POS_KEY, array(pageView("fabrikam", newId())), 403, "not bound", "tenant"),
                c("no key", EVENTS, JSON, null, valid, 401, "X-Api-Key", null),
                c("a blank key", EVENTS, JSON, " ", valid, 401, "X-Api-Key", null),
                c("a wrong key", EVENTS, JSON, "guess", valid, 403, "not a source's key", null),
                c("the admin key on ingest", EVENTS, JSON, ADMIN_KEY, valid, 403, "not a source's key", null),
                c("the key of a source in lower case", EVENTS, JSON, WEBSHOP_KEY.toUpperCase(), valid, 403, "not a source's key", null),
                // content types
                c("text/plain", EVENTS, "text/plain", WEBSHOP_KEY, valid, 415, "Content-Type must be", null),
                c("no content type", EVENTS, null, WEBSHOP_KEY, valid, 415, "got none", null),
                c("application/xml", EVENTS, "application/xml", WEBSHOP_KEY, "<events/>", 415, "application/cloudevents+json", null),
                c("CloudEvents type on the Event Grid endpoint", EVENT_GRID, CE, WEBSHOP_KEY, "[]", 415, "application/json", null),
                // CloudEvents without required attributes, or with wrong ones
                c("CloudEvent without id", EVENTS, CE, WEBSHOP_KEY, ce(e -> e.remove("id")).toString(), 400, "id is required", "id"),
                c("CloudEvent with an empty id", EVENTS, CE, WEBSHOP_KEY, ce(e -> e.put("id", "")).toString(), 400, "non-empty", "id"),
                c("CloudEvent with a numeric id", EVENTS, CE, WEBSHOP_KEY, ce(e -> e.put("id", 12)).toString(), 400, "must be a string", "id"),
                c("CloudEvent without source", EVENTS, CE, WEBSHOP_KEY, ce(e -> e.remove("source")).toString(), 400, "source is required", "source"),
                c("CloudEvent without specversion", EVENTS, CE, WEBSHOP_KEY, ce(e -> e.remove("specversion")).toString(), 400, "required", "specversion"),
                c("CloudEvent of specversion 0.3", EVENTS, CE, WEBSHOP_KEY, ce(e -> e.put("specversion", "0.3")).toString(), 400, "\"1.0\"", "specversion"),
                c("CloudEvent without type", EVENTS, CE, WEBSHOP_KEY, ce(e -> e.remove("type")).toString(), 400, "type is required", "type"),
                c("CloudEvent of an unknown type", EVENTS, CE, WEBSHOP_KEY, ce(e -> e.put("type", "com.example.order")).toString(), 400,
                        "com.pulse.purchase", "type"),
                c("CloudEvent without time", EVENTS, CE, WEBSHOP_KEY, ce(e -> e.remove("time")).toString(), 400, "time is required", "time"),
                c("CloudEvent without data", EVENTS, CE, WEBSHOP_KEY, ce(e -> e.remove("data")).toString(), 400, "data is required", "data"),
                c("CloudEvent with data as a string", EVENTS, CE, WEBSHOP_KEY, ce(e -> e.put("data", "hello")).toString(), 400, "JSON object", "data"),
                c("CloudEvent with binary data", EVENTS, CE, WEBSHOP_KEY, ce(e -> {
                    e.remove("data");
                    e.put("data_base64", "aGVsbG8=");
                }).toString(), 400, "binary data", "data_base64"),
                c("CloudEvent of XML data", EVENTS, CE, WEBSHOP_KEY, ce(e -> e.put("datacontenttype", "application/xml")).toString(), 400,
                        "datacontenttype", "datacontenttype"),
                c("CloudEvent with an event id in data", EVENTS, CE, WEBSHOP_KEY, ce(e -> ((ObjectNode) e.get("data")).put("eventId", newId())).toString(),
                        400, "unknown field", "data.eventId"),
                c("CloudEvent for a tenant the key is not bound to", EVENTS, CE, WEBSHOP_KEY, ce(e -> e.put("tenant", "northwind")).toString(), 403,
                        "not bound", "tenant"),
                c("a CloudEvents array in structured mode", EVENTS, CE, WEBSHOP_KEY, array(ce(e -> { })), 400, "cloudevents-batch+json", null),
                c("a single CloudEvent in batched mode", EVENTS, CE_BATCH, WEBSHOP_KEY, ce(e -> { }).toString(), 400, "JSON array", null),
                c("malformed CloudEvent", EVENTS, CE, WEBSHOP_KEY, "{\"specversion\": \"1.0\", \"id\": }", 400, "malformed JSON", null),
                // Event Grid
                c("Event Grid event without eventType", EVENT_GRID, JSON, WEBSHOP_KEY,
                        array(edit(eventGridEvent(newId(), "com.pulse.purchase", "contoso", purchaseBody()), e -> e.remove("eventType"))),
                        400, "eventType is required", "eventType"),
                c("Event Grid event with data as an array", EVENT_GRID, JSON, WEBSHOP_KEY,
                        array(edit(eventGridEvent(newId(), "com.pulse.purchase", "contoso", purchaseBody()), e -> e.putArray("data"))),
                        400, "JSON object", "data"),
                c("Event Grid event of a system type", EVENT_GRID, JSON, WEBSHOP_KEY,
                        array(eventGridEvent(newId(), "Microsoft.Storage.BlobCreated", "contoso", pageViewBody())), 400, "com.pulse.", "eventType"),
                c("Event Grid event of an unknown dataVersion", EVENT_GRID, JSON, WEBSHOP_KEY,
                        array(edit(eventGridEvent(newId(), "com.pulse.page-view", "contoso", pageViewBody()), e -> e.put("dataVersion", "2"))),
                        400, "dataVersion", "dataVersion"),
                c("Event Grid event for a tenant the key is not bound to", EVENT_GRID, JSON, WEBSHOP_KEY,
                        array(eventGridEvent(newId(), "com.pulse.page-view", "northwind", pageViewBody())), 403, "not bound", "data.tenant"),
                c("Event Grid body that is an object", EVENT_GRID, JSON, WEBSHOP_KEY,
                        eventGridEvent(newId(), "com.pulse.page-view", "contoso", pageViewBody()).toString(), 400, "JSON array", null),
                c("malformed Event Grid body", EVENT_GRID, JSON, WEBSHOP_KEY, "[{\"id\": \"1\"", 400, "malformed JSON", null),
                c("Event Grid without a key", EVENT_GRID, JSON, null, "[]", 401, "X-Api-Key", null));
        return cases.map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badRequests")
    void getsTheRight4xxWithAReasonAndNeverA5xx(Case c) {
        HttpResponse<String> r = server.post(c.path(), c.contentType(), c.key(), Map.of(),
                HttpRequest.BodyPublishers.ofString(c.body(), StandardCharsets.ISO_8859_1.equals(charsetOf(c)) ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8));

        assertThat(r.statusCode()).as("%s: %s", c.name(), r.body()).isLessThan(500).isEqualTo(c.status());
        JsonNode body = IngestServer.json(r);
        assertThat(body.get("status").asInt()).isEqualTo(c.status());
        assertThat(body.get("error").asText()).as("the reason").isNotBlank();
        JsonNode problem = body.path("problems").path(0);
        String reasons = body.get("error").asText() + " | " + problem.path("message").asText();
        assertThat(reasons).as("the reason, or the event's problem").contains(c.reason());
        if (c.field() != null) {
            assertThat(body.get("problems")).as("per-event problems").hasSize(1);
            assertThat(problem.get("index").asInt()).isZero();
            assertThat(problem.get("field").asText()).isEqualTo(c.field());
            assertThat(problem.get("path").asText()).endsWith(c.field());
            assertThat(problem.get("message").asText()).isNotBlank().contains(c.reason());
        }
    }

    private static java.nio.charset.Charset charsetOf(Case c) {
        return c.name().equals("invalid UTF-8") ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8;
    }

    @Test
    void aChunkedBodyOverTheLimitIs413WithoutAContentLength() {
        byte[] big = ("[" + " ".repeat(MAX_BYTES * 2) + "]").getBytes(StandardCharsets.UTF_8);

        HttpResponse<String> r = server.post(EVENTS, JSON, WEBSHOP_KEY, Map.of(),
                HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big)));

        assertThat(r.statusCode()).isEqualTo(413);
        assertThat(IngestServer.json(r).get("error").asText()).contains("more than " + MAX_BYTES + " bytes");
    }

    @Test
    void malformedJsonNamesTheLineColumnAndPathWhereParsingStopped() {
        HttpResponse<String> r = server.post(EVENTS, JSON, WEBSHOP_KEY, "[{\"tenant\": \"contoso\"},\n {\"payload\": {\"url\": /home}}]");

        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(IngestServer.json(r).get("error").asText()).contains("line 2").contains("$[1].payload.url");
    }
}
