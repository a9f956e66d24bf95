package io.pulse.ingest.http;

import static io.pulse.ingest.http.TestEvents.CLOCK;
import static io.pulse.ingest.http.TestEvents.WEBSHOP_KEY;
import static io.pulse.ingest.http.TestEvents.array;
import static io.pulse.ingest.http.TestEvents.eventGridEvent;
import static io.pulse.ingest.http.TestEvents.newId;
import static io.pulse.ingest.http.TestEvents.pageViewBody;
import static io.pulse.ingest.http.TestEvents.purchaseBody;
import static io.pulse.ingest.http.TestEvents.settings;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pulse.avro.Envelope;
import io.pulse.avro.EventType;
import io.pulse.avro.SourceKind;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Azure Event Grid's event schema and its subscription validation handshake, over real HTTP. */
class EventGridIngestTest {
    private static final String EVENT_GRID = IngestHttp.EVENT_GRID_PATH;
    private static final String JSON = "application/json; charset=utf-8";

    private final TestDelivery delivery = TestDelivery.collecting();
    private IngestServer server;

    @BeforeEach
    void start() {
        server = IngestServer.start(delivery, settings().build(), CLOCK);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private static ObjectNode validationEvent(String code) {
        ObjectNode e = JsonNodeFactory.instance.objectNode().put("id", "2d1781af-3a4c-4d7c-bd0c-e34b19da4e66")
                .put("topic", "/subscriptions/s1/resourceGroups/rg/providers/Microsoft.EventGrid/topics/shop").put("subject", "")
                .put("eventType", "Microsoft.EventGrid.SubscriptionValidationEvent").put("eventTime", "2026-11-21T10:29:00.9584103Z")
                .put("metadataVersion", "1").put("dataVersion", "1");
        e.putObject("data").put("validationCode", code).put("validationUrl", "https://rp-eastus2.eventgrid.azure.net/validate?code=x");
        return e;
    }

    private HttpResponse<String> postWithEventType(String key, String body, String eventType) {
        return server.post(EVENT_GRID, JSON, key, Map.of("aeg-event-type", eventType), HttpRequest.BodyPublishers.ofString(body));
    }

    @Test
    void answersTheSubscriptionValidationHandshakeWithTheCode() {
        HttpResponse<String> r = postWithEventType(WEBSHOP_KEY, array(validationEvent("512d38b6-c7b8-40c8-89fe-f46f9e9622b6")), "SubscriptionValidation");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(IngestServer.json(r).get("validationResponse").asText()).isEqualTo("512d38b6-c7b8-40c8-89fe-f46f9e9622b6");
        assertThat(delivery.offeredBatches()).isEmpty();
    }

    @Test
    void theHandshakeNeedsTheSourceKeyLikeEveryRequest() {
        HttpResponse<String> r = postWithEventType(null, array(validationEvent("abc")), "SubscriptionValidation");

        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.body()).doesNotContain("validationResponse");
    }

    @Test
    void refusesAValidationAnnouncedByTheHeaderButMissingFromTheBody() {
        HttpResponse<String> r = postWithEventType(WEBSHOP_KEY, array(eventGridEvent(newId(), "com.pulse.page-view", "contoso", pageViewBody())),
                "SubscriptionValidation");

        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(IngestServer.json(r).get("error").asText()).contains("SubscriptionValidationEvent");
        assertThat(delivery.offeredBatches()).isEmpty();
    }

    @Test
    void refusesAValidationEventMixedWithEventsOrWithoutACode() {
        ObjectNode noCode = validationEvent("x");
        ((ObjectNode) noCode.get("data")).remove("validationCode");

        HttpResponse<String> mixed = postWithEventType(WEBSHOP_KEY,
                array(eventGridEvent(newId(), "com.pulse.page-view", "contoso", pageViewBody()), validationEvent("x")), "Notification");
        HttpResponse<String> missingCode = postWithEventType(WEBSHOP_KEY, array(noCode), "SubscriptionValidation");

        assertThat(mixed.statusCode()).isEqualTo(400);
        assertThat(IngestServer.json(mixed).get("error").asText()).contains("must come alone");
        assertThat(missingCode.statusCode()).isEqualTo(400);
        assertThat(IngestServer.json(missingCode).get("error").asText()).contains("validationCode");
        assertThat(delivery.offeredBatches()).isEmpty();
    }

    @Test
    void mapsEventGridEventsToEnvelopes() {
        String a = newId();
        String b = newId();

        HttpResponse<String> r = postWithEventType(WEBSHOP_KEY, array(
                eventGridEvent(a, "com.pulse.purchase", "fabrikam", purchaseBody()),
                eventGridEvent(b, "com.pulse.page-view", "contoso", pageViewBody())), "Notification");

        assertThat(r.statusCode()).isEqualTo(202);
        assertThat(delivery.durableEvents()).extracting(Envelope::getEventId).containsExactly(a, b);
        Envelope first = delivery.durableEvents().get(0);
        assertThat(first.getTenant()).isEqualTo("fabrikam");
        assertThat(first.getEventType()).isEqualTo(EventType.PURCHASE);
        assertThat(first.getEventTime()).as("Event Grid's 7 fractional digits, to the millisecond").isEqualTo(Instant.parse("2026-11-21T10:29:00.123Z"));
        assertThat(first.getSource().getKind()).isEqualTo(SourceKind.EVENT_GRID);
        assertThat(first.getSource().getSystem()).endsWith("/topics/shop");
    }

    @Test
    void problemsNameTheEventGridFields() {
        ObjectNode noTenantField = eventGridEvent(newId(), "com.pulse.page-view", "contoso", pageViewBody());
        ((ObjectNode) noTenantField.get("data")).put("tenantId", "contoso");
        ObjectNode noType = eventGridEvent(newId(), "com.pulse.page-view", "contoso", pageViewBody());
        noType.remove("eventType");

        HttpResponse<String> r = postWithEventType(WEBSHOP_KEY, array(noTenantField, noType), "Notification");

        assertThat(r.statusCode()).isEqualTo(400);
        var problems = IngestServer.json(r).get("problems");
        assertThat(problems.get(0).get("field").asText()).isEqualTo("data.tenantId");
        assertThat(problems.get(0).get("rule").asText()).isEqualTo("field.unknown");
        assertThat(problems.get(1).get("field").asText()).isEqualTo("eventType");
        assertThat(problems.get(1).get("rule").asText()).isEqualTo("field.required");
    }
}
