package io.pulse.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.pulse.api.insights.InsightsQueries;
import io.pulse.api.insights.MetricsQuery;
import io.pulse.api.insights.TopProductsQuery;
import io.pulse.api.query.Readiness;
import io.pulse.api.query.StoreUnavailableException;
import io.pulse.api.query.WindowSize;
import io.pulse.api.routing.Answer;
import io.pulse.api.routing.IncomingRequest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The routes over real HTTP: what each handler makes of its parameters, and how answers, relayed answers and
 * unavailability reach the caller. The state behind {@link InsightsQueries} is a recorder here; routing and store
 * reads are proven with real instances in the launcher's TwoInstancesIT.
 */
class InsightsApiTest {
    private static final Instant NOW = Instant.parse("2026-11-21T10:30:00Z");
    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private final RecordingQueries queries = new RecordingQueries();
    private Javalin app;

    @BeforeEach
    void start() {
        app = io.javalin.Javalin.create(cfg -> {
            InsightsApi.configureServerUnguarded(cfg);
            InsightsApi.configure(cfg, queries, Clock.fixed(NOW, ZoneOffset.UTC));
        }).start("127.0.0.1", 0);
    }

    @AfterEach
    void stop() {
        app.stop();
    }

    @Test
    void passesTheMetricsQueryAsAskedAndTheRawRequestForForwarding() throws Exception {
        HttpResponse<String> r = get("/api/v1/tenants/contoso/metrics?window=pt5m&store=oslo-1&channel=store"
                + "&from=2026-11-21T09:00:00Z&to=2026-11-21T10:30:00Z", Map.of("Authorization", "Bearer t0ken"));

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(queries.metrics).isEqualTo(new MetricsQuery("contoso", WindowSize.PT5M, "oslo-1", "STORE",
                Instant.parse("2026-11-21T09:00:00Z"), Instant.parse("2026-11-21T10:30:00Z")));
        assertThat(queries.request.pathAndQuery()).isEqualTo("/api/v1/tenants/contoso/metrics?window=pt5m&store=oslo-1&channel=store"
                + "&from=2026-11-21T09:00:00Z&to=2026-11-21T10:30:00Z");
        assertThat(queries.request.authorization()).contains("Bearer t0ken");
        assertThat(queries.request.forwarded()).isFalse();
        assertThat(json.readTree(r.body()).get("route").asText()).isEqualTo("metrics");
    }

    @Test
    void defaultsToTheLastHourOfMinutesAndTheLastDayOfHours() throws Exception {
        get("/api/v1/tenants/contoso/metrics", Map.of());
        assertThat(queries.metrics).isEqualTo(new MetricsQuery("contoso", WindowSize.PT1M, null, null, NOW.minus(Duration.ofHours(1)), NOW));

        get("/api/v1/tenants/contoso/metrics?window=PT1H", Map.of());
        assertThat(queries.metrics.from()).isEqualTo(NOW.minus(Duration.ofDays(1)));

        get("/api/v1/tenants/contoso/top-products", Map.of());
        assertThat(queries.topProducts).isEqualTo(new TopProductsQuery("contoso", WindowSize.PT1H, NOW.minus(Duration.ofDays(1)), NOW));
    }

    @Test
    void marksAForwardedRequestSoItIsNotForwardedAgain() throws Exception {
        get("/api/v1/tenants/contoso/alerts", Map.of(IncomingRequest.FORWARDED_HEADER, "1"));

        assertThat(queries.request.forwarded()).isTrue();
        assertThat(queries.limit).isEqualTo(20);
    }

    @Test
    void rejectsBadParametersWithTheReason() throws Exception {
        assertBadRequest("/api/v1/tenants/contoso/metrics?from=yesterday", "'from'", "yesterday");
        assertBadRequest("/api/v1/tenants/contoso/metrics?from=2026-11-01T00:00:00Z&to=2026-11-21T00:00:00Z", "at most 24 hours");
        assertBadRequest("/api/v1/tenants/contoso/metrics?window=PT1H&from=2026-11-01T00:00:00Z&to=2026-11-21T00:00:00Z", "at most 7 days");
        assertBadRequest("/api/v1/tenants/contoso/metrics?from=2026-11-21T10:00:00Z&to=2026-11-21T09:00:00Z", "must not be after");
        assertBadRequest("/api/v1/tenants/Not_A_Tenant/metrics", "Not_A_Tenant");
        assertBadRequest("/api/v1/tenants/contoso/metrics?window=PT2M", "'window' must be one of PT1H, PT1M, PT5M");
        assertBadRequest("/api/v1/tenants/contoso/metrics?channel=fax", "'channel'", "fax");
        assertBadRequest("/api/v1/tenants/contoso/top-products?window=PT5M", "'window' must be one of PT1H, PT1M");
        assertBadRequest("/api/v1/tenants/contoso/alerts?limit=0", "'limit' must be a whole number from 1 to 100");
        assertBadRequest("/api/v1/tenants/contoso/alerts?limit=101", "from 1 to 100");
        assertBadRequest("/api/v1/tenants/contoso/active-customers?from=2026-09-01T00:00:00Z", "at most 31 days");
        assertThat(queries.calls).as("no bad request reached the queries").isZero();
    }

    @Test
    void servesEveryRouteOfTheContract() throws Exception {
        for (String path : new String[] {"/api/v1/tenants/contoso/metrics", "/api/v1/tenants/contoso/top-products?window=PT1M",
                "/api/v1/tenants/contoso/active-customers", "/api/v1/tenants/contoso/customers/c-000042/profile",
                "/api/v1/tenants/contoso/alerts?limit=5", "/api/v1/tenants/contoso/freshness"}) {
            assertThat(get(path, Map.of()).statusCode()).as(path).isEqualTo(200);
        }
        assertThat(queries.customerId).isEqualTo("c-000042");
        assertThat(queries.limit).isEqualTo(5);
        assertThat(queries.calls).isEqualTo(6);
    }

    @Test
    void relaysAnotherInstancesAnswerAsItIs() throws Exception {
        queries.answer = new Answer.Relayed("localhost:7071", 429, "application/json", "{\"status\":429,\"error\":\"slow down\"}",
                Optional.of("7"));

        HttpResponse<String> r = get("/api/v1/tenants/contoso/metrics", Map.of());

        assertThat(r.statusCode()).isEqualTo(429);
        assertThat(r.headers().firstValue("Retry-After")).contains("7");
        assertThat(r.body()).isEqualTo("{\"status\":429,\"error\":\"slow down\"}");
    }

    @Test
    void answers503WithRetryAfterWhileNoInstanceCanAnswer() throws Exception {
        queries.unavailable = true;

        HttpResponse<String> r = get("/api/v1/tenants/contoso/metrics", Map.of());
        HttpResponse<String> ready = get("/health/ready", Map.of());

        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(r.headers().firstValue("Retry-After")).contains("2");
        assertThat(json.readTree(r.body()).get("error").asText()).contains("REBALANCING");
        assertThat(ready.statusCode()).isEqualTo(503);
        assertThat(json.readTree(ready.body()).get("streams").asText()).isEqualTo("REBALANCING");
        assertThat(get("/health/live", Map.of()).statusCode()).isEqualTo(200);
    }

    private void assertBadRequest(String path, String... reasons) throws Exception {
        HttpResponse<String> r = get(path, Map.of());
        assertThat(r.statusCode()).as(path).isEqualTo(400);
        JsonNode body = json.readTree(r.body());
        assertThat(body.get("status").asInt()).isEqualTo(400);
        assertThat(body.get("error").asText()).as(path).contains(reasons);
    }

    private HttpResponse<String> get(String path, Map<String, String> headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + path));
        headers.forEach(b::header);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Records what it was asked; answers a small body, a preset answer, or 503. */
    private static final class RecordingQueries implements InsightsQueries {
        volatile boolean unavailable;
        volatile Answer answer;
        volatile int calls;
        volatile IncomingRequest request;
        volatile MetricsQuery metrics;
        volatile TopProductsQuery topProducts;
        volatile String customerId;
        volatile int limit;

        private Answer answer(IncomingRequest request, String route) {
            calls++;
            this.request = request;
            if (unavailable) {
                throw new StoreUnavailableException("Not queryable right now (Kafka Streams is REBALANCING)", Duration.ofSeconds(2), null);
            }
            return answer != null ? answer : new Answer.Local(Map.of("route", route));
        }

        @Override
        public Answer metrics(IncomingRequest request, MetricsQuery query) {
            this.metrics = query;
            return answer(request, "metrics");
        }

        @Override
        public Answer topProducts(IncomingRequest request, TopProductsQuery query) {
            this.topProducts = query;
            return answer(request, "top-products");
        }

        @Override
        public Answer activeCustomers(IncomingRequest request, String tenant, Instant from, Instant to) {
            return answer(request, "active-customers");
        }

        @Override
        public Answer profile(IncomingRequest request, String tenant, String customerId) {
            this.customerId = customerId;
            return answer(request, "profile");
        }

        @Override
        public Answer alerts(IncomingRequest request, String tenant, int limit) {
            this.limit = limit;
            return answer(request, "alerts");
        }

        @Override
        public Answer freshness(IncomingRequest request, String tenant) {
            return answer(request, "freshness");
        }

        @Override
        public Readiness readiness() {
            return new Readiness(!unavailable, unavailable ? "REBALANCING" : "RUNNING");
        }
    }
}
