package io.pulse.ingest.http;

import static io.pulse.ingest.http.TestEvents.CLOCK;
import static io.pulse.ingest.http.TestEvents.POS_KEY;
import static io.pulse.ingest.http.TestEvents.WEBSHOP_KEY;
import static io.pulse.ingest.http.TestEvents.array;
import static io.pulse.ingest.http.TestEvents.cloudEvent;
import static io.pulse.ingest.http.TestEvents.newId;
import static io.pulse.ingest.http.TestEvents.pageViewBody;
import static io.pulse.ingest.http.TestEvents.purchaseBody;
import static io.pulse.ingest.http.TestEvents.settings;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pulse.avro.Envelope;
import io.pulse.avro.EventType;
import io.pulse.avro.Purchase;
import io.pulse.avro.SourceKind;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.Locale;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** CloudEvents 1.0, structured and batched mode, over real HTTP. */
class CloudEventsIngestTest {
    private static final String EVENTS = IngestHttp.EVENTS_PATH;
    private static final String STRUCTURED = "application/cloudevents+json; charset=utf-8";
    private static final String BATCH = "application/cloudevents-batch+json";

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

    @Test
    void acceptsOneEventInStructuredMode() {
        String id = newId().toUpperCase(Locale.ROOT);

        HttpResponse<String> r = server.post(EVENTS, STRUCTURED, WEBSHOP_KEY, cloudEvent(id, "com.pulse.purchase", "fabrikam", purchaseBody()).toString());

        assertThat(r.statusCode()).isEqualTo(202);
        assertThat(IngestServer.json(r).get("eventIds").get(0).asText()).isEqualTo(id.toLowerCase(Locale.ROOT));
        Envelope e = delivery.durableEvents().get(0);
        assertThat(e.getEventId()).as("a UUID id is kept, in one spelling").isEqualTo(id.toLowerCase(Locale.ROOT));
        assertThat(e.getTenant()).isEqualTo("fabrikam");
        assertThat(e.getEventType()).isEqualTo(EventType.PURCHASE);
        assertThat(e.getEventTime()).isEqualTo(Instant.parse(TestEvents.EVENT_TIME));
        assertThat(e.getSource().getSystem()).isEqualTo("/webshop/checkout");
        assertThat(e.getSource().getKind()).isEqualTo(SourceKind.CLOUD_EVENTS);
        assertThat(e.getCustomerId()).isEqualTo("c-1");
        assertThat(((Purchase) e.getPayload()).getTotal().getAmount()).isEqualTo(new BigDecimal("9.0000"));
    }

    @Test
    void acceptsEveryEventOfABatchInOrder() {
        String a = newId();
        String b = newId();

        HttpResponse<String> r = server.post(EVENTS, BATCH, WEBSHOP_KEY, array(
                cloudEvent(a, "com.pulse.page-view", "contoso", pageViewBody()),
                cloudEvent(b, "com.pulse.purchase", "fabrikam", purchaseBody())));

        assertThat(r.statusCode()).isEqualTo(202);
        assertThat(delivery.durableEvents()).extracting(Envelope::getEventId).containsExactly(a, b);
        assertThat(delivery.durableEvents()).extracting(Envelope::getEventType).containsExactly(EventType.PAGE_VIEW, EventType.PURCHASE);
    }

    @Test
    void anIdThatIsNoUuidBecomesTheSameUuidOnEveryRedeliveryFromTheSameSource() {
        ObjectNode event = cloudEvent("order-4711", "com.pulse.page-view", "contoso", pageViewBody());
        ObjectNode otherSource = event.deepCopy().put("source", "/app");

        server.post(EVENTS, STRUCTURED, WEBSHOP_KEY, event.toString());
        server.post(EVENTS, STRUCTURED, WEBSHOP_KEY, event.toString());
        server.post(EVENTS, STRUCTURED, WEBSHOP_KEY, otherSource.toString());

        var ids = delivery.durableEvents().stream().map(Envelope::getEventId).toList();
        assertThat(ids.get(0)).matches("[0-9a-f-]{36}").isEqualTo(ids.get(1));
        assertThat(ids.get(2)).as("ids are unique per source only").isNotEqualTo(ids.get(0));
    }

    @Test
    void theTenantDefaultsToTheKeysOnlyTenantAndOtherExtensionsAreIgnored() {
        ObjectNode event = cloudEvent(newId(), "com.pulse.page-view", null, pageViewBody()).put("traceparent", "00-abc-def-01");

        HttpResponse<String> r = server.post(EVENTS, STRUCTURED, POS_KEY, event.toString());

        assertThat(r.statusCode()).isEqualTo(202);
        assertThat(delivery.durableEvents().get(0).getTenant()).isEqualTo("contoso");
    }

    @Test
    void problemsNameTheCloudEventsOwnFields() {
        ObjectNode wrongTotal = cloudEvent(newId(), "com.pulse.purchase", "contoso", purchaseBody());
        ((ObjectNode) wrongTotal.get("data").get("payload").get("total")).put("amount", "1.00");
        ObjectNode future = cloudEvent(newId(), "com.pulse.page-view", "contoso", pageViewBody()).put("time", "2026-11-21T11:00:00Z");
        ObjectNode noUrl = cloudEvent(newId(), "com.pulse.page-view", "contoso", pageViewBody());
        ((ObjectNode) noUrl.get("data").get("payload")).remove("url");

        HttpResponse<String> r = server.post(EVENTS, BATCH, WEBSHOP_KEY, array(wrongTotal, future, noUrl));

        assertThat(r.statusCode()).isEqualTo(400);
        JsonNode problems = IngestServer.json(r).get("problems");
        assertThat(problems.get(0).get("field").asText()).isEqualTo("data.payload.total.amount");
        assertThat(problems.get(0).get("path").asText()).isEqualTo("$[0].data.payload.total.amount");
        assertThat(problems.get(1).get("field").asText()).isEqualTo("time");
        assertThat(problems.get(1).get("rule").asText()).isEqualTo("time.event-not-after-ingestion");
        assertThat(problems.get(2).get("field").asText()).isEqualTo("data.payload.url");
        assertThat(problems.get(2).get("message").asText()).startsWith("data.payload.url is required");
        assertThat(delivery.offeredBatches()).isEmpty();
    }
}
