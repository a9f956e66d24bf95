package io.pulse.ingest.http;

import static io.pulse.ingest.http.TestEvents.NOW;
import static io.pulse.ingest.http.TestEvents.WEBSHOP_KEY;
import static io.pulse.ingest.http.TestEvents.newId;
import static io.pulse.ingest.http.TestEvents.pageView;
import static io.pulse.ingest.http.TestEvents.settings;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.pulse.common.testing.MutableClock;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The per-tenant quota (5 events per second, burst 10), on a clock the test moves. */
class QuotaTest {
    private static final String EVENTS = IngestHttp.EVENTS_PATH;
    private static final String JSON = "application/json";

    private final MutableClock clock = new MutableClock(NOW);
    private IngestServer server;

    @AfterEach
    void stop() {
        server.close();
    }

    private TestDelivery start(TestDelivery delivery) {
        server = IngestServer.start(delivery, settings().tenantEventsPerSecond(5).tenantBurst(10).maxEventsPerRequest(10).build(), clock);
        return delivery;
    }

    private static String events(int contoso, int fabrikam) {
        List<JsonNode> events = new ArrayList<>();
        for (int i = 0; i < contoso; i++) {
            events.add(pageView("contoso", newId()));
        }
        for (int i = 0; i < fabrikam; i++) {
            events.add(pageView("fabrikam", newId()));
        }
        return TestEvents.array(events.toArray(JsonNode[]::new));
    }

    private HttpResponse<String> post(int contoso, int fabrikam) {
        return server.post(EVENTS, JSON, WEBSHOP_KEY, events(contoso, fabrikam));
    }

    @Test
    void answers429WithRetryAfterOverTheTenantsQuotaAndAcceptsAgainOnceRefilled() {
        TestDelivery delivery = start(TestDelivery.collecting());

        HttpResponse<String> burst = post(10, 0);
        HttpResponse<String> over = post(1, 0);
        clock.advance(Duration.ofMillis(400));
        HttpResponse<String> stillOver = post(3, 0);
        clock.advance(Duration.ofMillis(200));
        HttpResponse<String> refilled = post(3, 0);

        assertThat(burst.statusCode()).isEqualTo(202);
        assertThat(over.statusCode()).isEqualTo(429);
        assertThat(over.headers().firstValue("Retry-After")).as("one event at 5/s: 200 ms, rounded up").hasValue("1");
        assertThat(IngestServer.json(over).get("error").asText()).contains("'contoso'").contains("5 events per second");
        assertThat(stillOver.statusCode()).as("2 tokens after 400 ms, 3 asked").isEqualTo(429);
        assertThat(refilled.statusCode()).as("3 tokens after 600 ms").isEqualTo(202);
        assertThat(delivery.durableEvents()).hasSize(13);
    }

    @Test
    void oneTenantOverItsQuotaLeavesOtherTenantsAlone() {
        start(TestDelivery.collecting());

        post(10, 0);

        assertThat(post(1, 0).statusCode()).isEqualTo(429);
        assertThat(post(0, 10).statusCode()).isEqualTo(202);
    }

    @Test
    void aRefusedRequestTakesNothingFromTheOtherTenantsInIt() {
        start(TestDelivery.collecting());
        post(10, 0); // contoso is empty
        post(0, 5);  // fabrikam has 5 left

        HttpResponse<String> mixed = post(1, 5);
        HttpResponse<String> fabrikamAlone = post(0, 5);

        assertThat(mixed.statusCode()).isEqualTo(429);
        assertThat(fabrikamAlone.statusCode()).as("fabrikam's 5 were given back when contoso refused the request").isEqualTo(202);
    }

    @Test
    void eventsThatCouldNotBeMadeDurableDoNotCountAgainstTheQuota() {
        TestDelivery delivery = start(TestDelivery.failing());

        HttpResponse<String> failed = post(10, 0);
        delivery.mode(TestDelivery.Mode.COLLECT);
        HttpResponse<String> retried = post(10, 0);

        assertThat(failed.statusCode()).isEqualTo(503);
        assertThat(retried.statusCode()).as("the client's retry is not refused for the failed attempt").isEqualTo(202);
    }
}
