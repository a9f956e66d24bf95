package io.pulse.ingest.http;

import static io.pulse.ingest.http.TestEvents.CLOCK;
import static io.pulse.ingest.http.TestEvents.NOW;
import static io.pulse.ingest.http.TestEvents.POS_KEY;
import static io.pulse.ingest.http.TestEvents.WEBSHOP_KEY;
import static io.pulse.ingest.http.TestEvents.array;
import static io.pulse.ingest.http.TestEvents.newId;
import static io.pulse.ingest.http.TestEvents.pageView;
import static io.pulse.ingest.http.TestEvents.purchase;
import static io.pulse.ingest.http.TestEvents.settings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.pulse.avro.Channel;
import io.pulse.avro.Envelope;
import io.pulse.avro.EventType;
import io.pulse.avro.PageView;
import io.pulse.avro.Purchase;
import io.pulse.avro.SourceKind;
import io.pulse.ingest.delivery.SourceId;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Pulse's JSON batch over real HTTP, with the delivery path held in memory. */
class HttpIngestTest {
    private static final String EVENTS = IngestHttp.EVENTS_PATH;
    private static final String JSON = "application/json";

    private IngestServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private TestDelivery start(TestDelivery delivery, IngestHttpSettings settings) {
        server = IngestServer.start(delivery, settings, CLOCK);
        return delivery;
    }

    @Test
    void acceptsABatchAndAnswers202WithTheEventIdsOnceDelivered() {
        TestDelivery delivery = start(TestDelivery.collecting(), settings().build());
        String first = newId();
        String second = newId();

        HttpResponse<String> r = server.post(EVENTS, JSON, WEBSHOP_KEY, array(purchase("contoso", first), pageView("fabrikam", second)));

        assertThat(r.statusCode()).isEqualTo(202);
        JsonNode body = IngestServer.json(r);
        assertThat(body.get("accepted").asInt()).isEqualTo(2);
        assertThat(body.get("eventIds")).extracting(JsonNode::asText).containsExactly(first, second);
        assertThat(delivery.durableBatches()).singleElement().satisfies(b -> {
            assertThat(b.source()).isEqualTo(new SourceId("http", "webshop"));
            assertThat(b.events()).extracting(Envelope::getEventId).containsExactly(first, second);
        });
    }

    @Test
    void mapsEveryFieldToTheEnvelopeWithExactMoneyAtTheSchemasScale() {
        TestDelivery delivery = start(TestDelivery.collecting(), settings().build());
        String id = newId();

        server.post(EVENTS, JSON, WEBSHOP_KEY, array(purchase("contoso", id)));

        Envelope e = delivery.durableEvents().get(0);
        assertThat(e.getEventId()).isEqualTo(id);
        assertThat(e.getTenant()).isEqualTo("contoso");
        assertThat(e.getSource().getSystem()).isEqualTo("webshop");
        assertThat(e.getSource().getKind()).isEqualTo(SourceKind.HTTP);
        assertThat(e.getEventType()).isEqualTo(EventType.PURCHASE);
        assertThat(e.getEventTime()).isEqualTo(Instant.parse(TestEvents.EVENT_TIME));
        assertThat(e.getIngestionTime()).isEqualTo(NOW);
        assertThat(e.getCustomerId()).isEqualTo("c-1");
        assertThat(e.getSessionId()).isEqualTo("s-1");
        assertThat(e.getChannel()).isEqualTo(Channel.WEB);
        assertThat(e.getStoreId()).isEqualTo("web");
        Purchase p = (Purchase) e.getPayload();
        assertThat(p.getOrderId()).isEqualTo("o-1");
        assertThat(p.getTotal().getAmount()).isEqualTo(new BigDecimal("9.0000"));
        assertThat(p.getTotal().getCurrency()).isEqualTo("EUR");
        assertThat(p.getLineItems()).singleElement().satisfies(l -> {
            assertThat(l.getQuantity()).isEqualTo(2);
            assertThat(l.getUnitPrice().getAmount()).isEqualTo(new BigDecimal("4.5000"));
        });
    }

    @Test
    void givesAnEventWithoutIdARandomUuidAndAnswersIt() {
        TestDelivery delivery = start(TestDelivery.collecting(), settings().build());

        HttpResponse<String> r = server.post(EVENTS, JSON, WEBSHOP_KEY, array(pageView("contoso", null)));

        assertThat(r.statusCode()).isEqualTo(202);
        String id = IngestServer.json(r).get("eventIds").get(0).asText();
        assertThat(id).matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}");
        assertThat(delivery.durableEvents()).extracting(Envelope::getEventId).containsExactly(id);
    }

    @Test
    void takesTheSourceSystemFromTheEventWhenItNamesOne() {
        TestDelivery delivery = start(TestDelivery.collecting(), settings().build());

        server.post(EVENTS, JSON, WEBSHOP_KEY, array(pageView("contoso", newId()).put("source", "pos-berlin-01")));

        assertThat(delivery.durableEvents()).singleElement().satisfies(e -> assertThat(e.getSource().getSystem()).isEqualTo("pos-berlin-01"));
    }

    @Test
    void anEventWithoutTenantIsForTheKeysOnlyTenant() {
        TestDelivery delivery = start(TestDelivery.collecting(), settings().build());

        HttpResponse<String> r = server.post(EVENTS, JSON, POS_KEY, array(pageView(null, newId())));

        assertThat(r.statusCode()).isEqualTo(202);
        assertThat(delivery.durableEvents()).singleElement().satisfies(e -> assertThat(e.getTenant()).isEqualTo("contoso"));
        assertThat(delivery.durableBatches().get(0).source()).isEqualTo(new SourceId("http", "pos"));
    }

    @Test
    void anEventWithoutTenantIsRefusedWhenTheKeyHasSeveralTenants() {
        TestDelivery delivery = start(TestDelivery.collecting(), settings().build());

        HttpResponse<String> r = server.post(EVENTS, JSON, WEBSHOP_KEY, array(pageView(null, newId())));

        assertThat(r.statusCode()).isEqualTo(400);
        JsonNode problem = IngestServer.json(r).get("problems").get(0);
        assertThat(problem.get("field").asText()).isEqualTo("tenant");
        assertThat(problem.get("message").asText()).contains("several tenants").contains("contoso").contains("fabrikam");
        assertThat(delivery.offeredBatches()).isEmpty();
    }

    @Test
    void refusesTheWholeRequestListingEveryInvalidEventWhenSomeAreInvalid() {
        TestDelivery delivery = start(TestDelivery.collecting(), settings().build());
        String badTotal = newId();
        String badQuantity = newId();
        var wrongTotal = purchase("contoso", badTotal);
        ((com.fasterxml.jackson.databind.node.ObjectNode) wrongTotal.get("payload").get("total")).put("amount", "10.00");
        var wrongQuantity = purchase("contoso", badQuantity);
        ((com.fasterxml.jackson.databind.node.ObjectNode) wrongQuantity.get("payload").get("lineItems").get(0)).put("quantity", "two");

        HttpResponse<String> r = server.post(EVENTS, JSON, WEBSHOP_KEY,
                array(pageView("contoso", newId()), wrongTotal, pageView("fabrikam", newId()), wrongQuantity));

        assertThat(r.statusCode()).isEqualTo(400);
        JsonNode body = IngestServer.json(r);
        assertThat(body.get("error").asText()).contains("2 of 4").contains("none was accepted");
        JsonNode problems = body.get("problems");
        assertThat(problems).hasSize(2);
        assertThat(problems.get(0).get("index").asInt()).isEqualTo(1);
        assertThat(problems.get(0).get("eventId").asText()).isEqualTo(badTotal);
        assertThat(problems.get(0).get("field").asText()).isEqualTo("payload.total.amount");
        assertThat(problems.get(0).get("path").asText()).isEqualTo("$[1].payload.total.amount");
        assertThat(problems.get(0).get("rule").asText()).isEqualTo("purchase.total-matches-lines");
        assertThat(problems.get(1).get("index").asInt()).isEqualTo(3);
        assertThat(problems.get(1).get("field").asText()).isEqualTo("payload.lineItems[0].quantity");
        assertThat(problems.get(1).get("path").asText()).isEqualTo("$[3].payload.lineItems[0].quantity");
        assertThat(problems.get(1).get("rule").asText()).isEqualTo("field.type");
        assertThat(problems.get(1).get("message").asText()).contains("whole number").contains("'two'");
        assertThat(delivery.offeredBatches()).as("all or nothing: the valid events are not delivered either").isEmpty();
    }

    @Test
    void answers202OnlyOnceTheEventsAreDurable() {
        TestDelivery delivery = start(TestDelivery.slow(), settings().build());

        CompletableFuture<HttpResponse<String>> answer = server.postAsync(EVENTS, JSON, WEBSHOP_KEY, array(pageView("contoso", newId())));

        await().atMost(Duration.ofSeconds(10)).until(() -> delivery.heldBatches() == 1);
        assertThat(answer).as("no answer while the delivery has not confirmed").isNotDone();
        delivery.releaseHeld();
        HttpResponse<String> r = answer.orTimeout(10, java.util.concurrent.TimeUnit.SECONDS).join();
        assertThat(r.statusCode()).isEqualTo(202);
        assertThat(delivery.durableEvents()).hasSize(1);
    }

    @Test
    void answers503WithRetryAfterWhenTheEventsCannotBeMadeDurable() {
        start(TestDelivery.failing(), settings().retryAfter(Duration.ofSeconds(7)).build());

        HttpResponse<String> r = server.post(EVENTS, JSON, WEBSHOP_KEY, array(pageView("contoso", newId())));

        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(r.headers().firstValue("Retry-After")).hasValue("7");
        assertThat(IngestServer.json(r).get("error").asText()).contains("could not be made durable").contains("none was accepted");
    }

    @Test
    void answers503WhenTheEventsAreNotDurableWithinTheRequestTimeout() {
        start(TestDelivery.slow(), settings().requestTimeout(Duration.ofMillis(300)).build());

        HttpResponse<String> r = server.post(EVENTS, JSON, WEBSHOP_KEY, array(pageView("contoso", newId())));

        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(r.headers().firstValue("Retry-After")).isPresent();
        assertThat(IngestServer.json(r).get("error").asText()).contains("not durable within 300 ms");
    }

    @Test
    void answers503WhenTheDeliveryPathThrows() {
        TestDelivery delivery = start(TestDelivery.collecting(), settings().build());
        delivery.mode(TestDelivery.Mode.THROW);

        HttpResponse<String> r = server.post(EVENTS, JSON, WEBSHOP_KEY, array(pageView("contoso", newId())));

        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(r.headers().firstValue("Retry-After")).isPresent();
    }

    @Test
    void aPausedSourceAnswers503WithRetryAfterUntilResumedAndOtherSourcesGoOn() {
        TestDelivery delivery = start(TestDelivery.collecting(), settings().build());
        var webshop = server.sources().find(new SourceId("http", "webshop")).orElseThrow();

        webshop.pause();
        HttpResponse<String> paused = server.post(EVENTS, JSON, WEBSHOP_KEY, array(pageView("contoso", newId())));
        HttpResponse<String> other = server.post(EVENTS, JSON, POS_KEY, array(pageView("contoso", newId())));
        webshop.resume();
        HttpResponse<String> resumed = server.post(EVENTS, JSON, WEBSHOP_KEY, array(pageView("contoso", newId())));

        assertThat(paused.statusCode()).isEqualTo(503);
        assertThat(paused.headers().firstValue("Retry-After")).hasValue("5");
        assertThat(IngestServer.json(paused).get("error").asText()).contains("http/webshop").contains("paused");
        assertThat(other.statusCode()).isEqualTo(202);
        assertThat(resumed.statusCode()).isEqualTo(202);
        assertThat(delivery.durableBatches()).extracting(TestDelivery.Batch::source)
                .containsExactly(new SourceId("http", "pos"), new SourceId("http", "webshop"));
    }

    @Test
    void pageViewsKeepTheirDetails() {
        TestDelivery delivery = start(TestDelivery.collecting(), settings().build());
        var event = pageView("contoso", newId());
        ((com.fasterxml.jackson.databind.node.ObjectNode) event.get("payload")).put("referrer", "https://search.example/").put("pageType", "home");

        server.post(EVENTS, JSON, WEBSHOP_KEY, array(event));

        PageView p = (PageView) delivery.durableEvents().get(0).getPayload();
        assertThat(List.of(p.getUrl(), p.getReferrer(), p.getPageType())).containsExactly("/home", "https://search.example/", "home");
    }
}
