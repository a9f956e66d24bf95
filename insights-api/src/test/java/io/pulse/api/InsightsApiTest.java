package io.pulse.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.pulse.api.query.MetricsQueries;
import io.pulse.api.query.StoreUnavailableException;
import io.pulse.api.query.WindowCount;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The API over real HTTP, with the state behind {@link MetricsQueries} held in a list. */
class InsightsApiTest {
    private static final Instant NOW = Instant.parse("2026-11-21T10:30:00Z");
    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private final RecordingQueries queries = new RecordingQueries();
    private Javalin app;

    @BeforeEach
    void start() {
        app = InsightsApi.create(queries, Clock.fixed(NOW, ZoneOffset.UTC)).start("127.0.0.1", 0);
    }

    @AfterEach
    void stop() {
        app.stop();
    }

    @Test
    void answersTheTenantsWindowsAndTheirTotal() throws Exception {
        queries.windows.add(new WindowCount(Instant.parse("2026-11-21T10:00:00Z"), Instant.parse("2026-11-21T10:01:00Z"), 7));
        queries.windows.add(new WindowCount(Instant.parse("2026-11-21T10:01:00Z"), Instant.parse("2026-11-21T10:02:00Z"), 5));

        HttpResponse<String> r = get("/api/v1/tenants/contoso/metrics?from=2026-11-21T09:00:00Z&to=2026-11-21T10:30:00Z");

        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode body = json.readTree(r.body());
        assertThat(body.get("tenant").asText()).isEqualTo("contoso");
        assertThat(body.get("totalEvents").asLong()).isEqualTo(12);
        assertThat(body.get("windows")).hasSize(2);
        assertThat(body.get("windows").get(0).get("start").asText()).isEqualTo("2026-11-21T10:00:00Z");
        assertThat(body.get("windows").get(0).get("events").asLong()).isEqualTo(7);
        assertThat(queries.lastTenant).isEqualTo("contoso");
        assertThat(queries.lastFrom).isEqualTo(Instant.parse("2026-11-21T09:00:00Z"));
    }

    @Test
    void defaultsToTheLastHour() throws Exception {
        HttpResponse<String> r = get("/api/v1/tenants/contoso/metrics");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(queries.lastTo).isEqualTo(NOW);
        assertThat(queries.lastFrom).isEqualTo(NOW.minus(Duration.ofHours(1)));
    }

    @Test
    void rejectsBadParametersWithTheReason() throws Exception {
        HttpResponse<String> badTime = get("/api/v1/tenants/contoso/metrics?from=yesterday");
        HttpResponse<String> tooLong = get("/api/v1/tenants/contoso/metrics?from=2026-11-01T00:00:00Z&to=2026-11-21T00:00:00Z");
        HttpResponse<String> badTenant = get("/api/v1/tenants/Not_A_Tenant/metrics");

        assertThat(badTime.statusCode()).isEqualTo(400);
        assertThat(json.readTree(badTime.body()).get("error").asText()).contains("'from'").contains("yesterday");
        assertThat(tooLong.statusCode()).isEqualTo(400);
        assertThat(json.readTree(tooLong.body()).get("error").asText()).contains("at most 24 hours");
        assertThat(badTenant.statusCode()).isEqualTo(400);
        assertThat(json.readTree(badTenant.body()).get("error").asText()).contains("Not_A_Tenant");
    }

    @Test
    void answers503WithRetryAfterWhileStateIsUnavailable() throws Exception {
        queries.unavailable = true;

        HttpResponse<String> r = get("/api/v1/tenants/contoso/metrics");
        HttpResponse<String> ready = get("/health/ready");

        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(r.headers().firstValue("Retry-After")).contains("2");
        assertThat(json.readTree(r.body()).get("error").asText()).contains("REBALANCING");
        assertThat(ready.statusCode()).isEqualTo(503);
        assertThat(get("/health/live").statusCode()).isEqualTo(200);
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Holds windows in a list and records what it was asked. */
    private static final class RecordingQueries implements MetricsQueries {
        final List<WindowCount> windows = new ArrayList<>();
        volatile boolean unavailable;
        volatile String lastTenant;
        volatile Instant lastFrom;
        volatile Instant lastTo;

        @Override
        public List<WindowCount> eventCounts(String tenant, Instant from, Instant to) {
            if (unavailable) {
                throw new StoreUnavailableException("Metrics are not queryable right now (Kafka Streams is REBALANCING)",
                        Duration.ofSeconds(2), null);
            }
            lastTenant = tenant;
            lastFrom = from;
            lastTo = to;
            return windows;
        }

        @Override
        public boolean isQueryable() {
            return !unavailable;
        }
    }
}
