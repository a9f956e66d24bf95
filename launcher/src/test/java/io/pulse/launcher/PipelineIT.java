package io.pulse.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pulse.avro.Envelope;
import io.pulse.common.config.ConfigKeys;
import io.pulse.common.config.PulseConfig;
import io.pulse.common.topics.TopicCatalogue;
import io.pulse.ingest.delivery.EventPublisher;
import io.pulse.ingest.generator.RetailTrafficGenerator;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The walking skeleton end to end on real parts: a KRaft broker, the embedded registry, Kafka Streams
 * with exactly_once_v2, the lake sink writing Parquet, the API over HTTP, and DuckDB reading the lake
 * as an analyst would.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class PipelineIT {
    private static final List<String> TENANTS = List.of("contoso", "fabrikam", "northwind");
    private static final int EVENTS = 3000;
    private static final long SEED = 20261121L;

    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();

    @TempDir
    Path dataDir;

    private final LocalPulse pulse = new LocalPulse();

    @AfterEach
    void stop() {
        pulse.close();
    }

    @Test
    void apiCountsMatchTheInputAndTheLakeHoldsEachEventOnceAcrossARestart() throws Exception {
        PulseConfig config = LocalPulse.config(dataDir, Map.of(
                ConfigKeys.LAKE_FLUSH_INTERVAL, "2s",
                ConfigKeys.WINDOW_GRACE, "10s"));
        pulse.start(config);

        Instant base = Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofMinutes(20));
        List<Envelope> events = generate(base);
        publish(events);
        Map<String, Map<Instant, Long>> expected = countPerTenantAndMinute(events);

        awaitApiCounts(expected, base);
        assertDeliveryStateIsScrapable();
        awaitLakeRows(config, EVENTS);
        assertLakeHoldsEachEventOnce(config, events);

        // Stop everything as Ctrl-C would, start again on the same data directory: nothing lost, nothing twice.
        pulse.close();
        pulse.start(config);

        awaitApiCounts(expected, base);
        assertLakeHoldsEachEventOnce(config, events);
        // While the sink runs, its open batches are temporaries (metrics keep coming); a clean stop commits them all
        // and the restart deleted whatever the first run left.
        pulse.close();
        try (Stream<Path> files = Files.walk(config.lake().dir())) {
            assertThat(files.filter(p -> p.getFileName().toString().endsWith(".tmp"))).as("temporaries after a clean stop").isEmpty();
        }
    }

    /** N events over ~15 minutes of event time, a little out of order (within grace), deterministic by seed. */
    private static List<Envelope> generate(Instant base) {
        RetailTrafficGenerator generator = new RetailTrafficGenerator(TENANTS, SEED);
        Random jitter = new Random(SEED);
        List<Envelope> events = new ArrayList<>();
        for (int i = 0; i < EVENTS; i++) {
            Instant at = base.plusMillis(i * 300L + 5_000 - jitter.nextInt(5_000));
            events.add(generator.next(at));
        }
        return events;
    }

    private void publish(List<Envelope> events) throws Exception {
        try (EventPublisher publisher = new EventPublisher(pulse.infrastructure().clients(),
                pulse.pipeline().serdes().forValue(TopicCatalogue.EVENTS).serializer(), "pipeline-it")) {
            List<CompletableFuture<?>> acks = new ArrayList<>();
            events.forEach(e -> acks.add(publisher.publish(e)));
            CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        }
    }

    /** Computed from the input alone, independently of the topology. */
    private static Map<String, Map<Instant, Long>> countPerTenantAndMinute(List<Envelope> events) {
        Map<String, Map<Instant, Long>> counts = new TreeMap<>();
        for (Envelope e : events) {
            counts.computeIfAbsent(e.getTenant(), t -> new TreeMap<>())
                    .merge(e.getEventTime().truncatedTo(ChronoUnit.MINUTES), 1L, Long::sum);
        }
        return counts;
    }

    private void awaitApiCounts(Map<String, Map<Instant, Long>> expected, Instant base) {
        assertThat(expected.keySet()).containsExactlyInAnyOrderElementsOf(TENANTS);
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            for (String tenant : TENANTS) {
                assertThat(apiCounts(tenant, base.minus(Duration.ofMinutes(1)), base.plus(Duration.ofMinutes(30))))
                        .as("API counts of %s", tenant)
                        .isEqualTo(expected.get(tenant));
            }
        });
    }

    private Map<Instant, Long> apiCounts(String tenant, Instant from, Instant to) throws Exception {
        URI uri = URI.create("http://localhost:" + pulse.pipeline().apiPort() + "/api/v1/tenants/" + tenant + "/metrics?from=" + from + "&to=" + to);
        // The tenant's own development token, as printed by the demo: a retailer reads its own numbers.
        String token = pulse.pipeline().devTokens().orElseThrow().forTenant(tenant);
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + token).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as("GET %s answered %s", uri, r.body()).isEqualTo(200);
        JsonNode body = json.readTree(r.body());
        Map<Instant, Long> counts = new TreeMap<>();
        body.get("windows").forEach(w -> counts.put(Instant.parse(w.get("start").asText()), w.get("events").asLong()));
        assertThat(body.get("totalEvents").asLong()).isEqualTo(counts.values().stream().mapToLong(Long::longValue).sum());
        return counts;
    }

    /** The ingest delivery path's circuit and outbox are visible to Prometheus. */
    private void assertDeliveryStateIsScrapable() throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + pulse.pipeline().apiPort() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("pulse_ingest_delivery_circuit_state").contains("pulse_ingest_delivery_outbox_events");
    }

    private void awaitLakeRows(PulseConfig config, long rows) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1))
                .untilAsserted(() -> assertThat(queryLong(config, "select count(*) from events")).isEqualTo(rows));
    }

    private void assertLakeHoldsEachEventOnce(PulseConfig config, List<Envelope> events) throws Exception {
        assertThat(queryLong(config, "select count(*) from events")).isEqualTo(events.size());
        assertThat(queryLong(config, "select count(distinct event_id) from events")).isEqualTo(events.size());
        for (String tenant : TENANTS) {
            long expected = events.stream().filter(e -> e.getTenant().equals(tenant)).count();
            assertThat(queryLong(config, "select count(*) from events where tenant = '" + tenant + "'"))
                    .as("lake rows of %s, from the tenant= partition directories", tenant).isEqualTo(expected);
        }
    }

    private static long queryLong(PulseConfig config, String sql) throws Exception {
        Path glob = config.lake().dir().resolve("events").resolve("**").resolve("*.parquet");
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
             Statement s = c.createStatement()) {
            s.execute("create view events as select * from read_parquet('" + glob
                    + "', hive_partitioning = true, union_by_name = true)");
            try (ResultSet rs = s.executeQuery(sql)) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
