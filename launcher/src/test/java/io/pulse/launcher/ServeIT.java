package io.pulse.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pulse.common.config.ConfigKeys;
import io.pulse.common.config.PulseConfig;
import io.pulse.ingest.http.IngestHttp;
import io.pulse.ingest.http.IngestHttpSettings;
import io.pulse.ingest.http.KeyHash;
import io.pulse.launcher.wiring.Component;
import io.pulse.launcher.wiring.EmbeddedInfrastructure;
import io.pulse.launcher.wiring.PulsePipeline;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code pulse serve} split as on AKS: one embedded broker and registry, an insights instance ({@code --components
 * insights}) and an ingest instance ({@code --components ingest,lake-sink}), each a {@link PulsePipeline} with its own
 * data directory and HTTP port. An event posted to the ingest instance reaches the lake (through the ingest
 * instance's sink) and the insights instance's metrics API; each instance is ready and serves only its own routes.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ServeIT {
    private static final String TENANT = "contoso";
    private static final String SOURCE_KEY = "serve-it-source-key-0123456789";

    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();

    @TempDir
    static Path root;
    private EmbeddedInfrastructure infrastructure;
    private PulsePipeline insights;
    private PulsePipeline ingest;
    private PulseConfig ingestConfig;
    private String advertised;

    @BeforeAll
    void startBrokerAndBothInstances() throws IOException {
        infrastructure = EmbeddedInfrastructure.start(LocalPulse.config(root.resolve("broker"), Map.of()));

        int insightsPort = freePort();
        advertised = "127.0.0.1:" + insightsPort;
        PulseConfig insightsConfig = LocalPulse.config(root.resolve("insights"), Map.of(
                ConfigKeys.API_PORT, Integer.toString(insightsPort),
                ConfigKeys.API_ADVERTISED_ENDPOINT, advertised));
        ingestConfig = LocalPulse.config(root.resolve("ingest"), Map.of(
                ConfigKeys.LAKE_FLUSH_INTERVAL, "1s",
                IngestHttpSettings.SOURCE_KEYS, "serve-it:" + TENANT + ":" + KeyHash.of(SOURCE_KEY).hex()));

        insights = PulsePipeline.start(insightsConfig, infrastructure.clients(), infrastructure.registryUrl(), EnumSet.of(Component.INSIGHTS));
        ingest = PulsePipeline.start(ingestConfig, infrastructure.clients(), infrastructure.registryUrl(),
                EnumSet.of(Component.INGEST, Component.LAKE_SINK));
    }

    @AfterAll
    void stop() {
        for (AutoCloseable c : new AutoCloseable[] {ingest, insights, infrastructure}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception e) {
                throw new IllegalStateException("closing " + c, e);
            }
        }
    }

    @Test
    void bothInstancesBecomeReadyReportingOnlyTheirOwnComponents() {
        JsonNode insightsReady = awaitReady(insights);
        assertThat(insightsReady.get("components").properties()).extracting(Map.Entry::getKey).containsExactly("insights");
        assertThat(insightsReady.get("components").get("insights").asText()).isIn("RUNNING", "REBALANCING");

        JsonNode ingestReady = awaitReady(ingest);
        assertThat(ingestReady.get("components").properties()).extracting(Map.Entry::getKey).containsExactly("ingest", "lake-sink");
        assertThat(ingestReady.get("components").get("ingest").asText()).isEqualTo("OPEN");
        assertThat(ingestReady.get("components").get("lake-sink").asText()).isEqualTo("RUNNING");
        assertThat(ingestReady.has("streams")).as("no Kafka Streams in the ingest instance").isFalse();
    }

    @Test
    void anEventPostedToIngestLandsInTheLakeAndInTheInsightsInstancesMetrics() throws Exception {
        awaitReady(insights);
        awaitReady(ingest);
        String eventId = UUID.randomUUID().toString();
        Instant eventTime = Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofMinutes(1)).plusSeconds(10);

        HttpResponse<String> posted = post(ingest, IngestHttp.EVENTS_PATH, purchase(eventId, eventTime));
        assertThat(posted.statusCode()).as(posted.body()).isEqualTo(202);
        assertThat(json.readTree(posted.body()).get("eventIds").get(0).asText()).isEqualTo(eventId);

        await("the event in the ingest instance's lake").atMost(Duration.ofSeconds(45)).pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> assertThat(lakeRowsWithEventId(eventId)).isEqualTo(1));

        Instant minute = eventTime.truncatedTo(ChronoUnit.MINUTES);
        String metricsPath = "/api/v1/tenants/" + TENANT + "/metrics?from=" + minute + "&to=" + minute.plus(Duration.ofMinutes(1));
        await("the event in the insights instance's metrics").atMost(Duration.ofSeconds(45)).pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> {
                    HttpResponse<String> r = get(insights, metricsPath, insights.devTokens().orElseThrow().forTenant(TENANT));
                    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
                    JsonNode body = json.readTree(r.body());
                    assertThat(body.get("totalEvents").asLong()).as(r.body()).isEqualTo(1);
                    assertThat(body.get("windows").get(0).get("start").asText()).isEqualTo(minute.toString());
                    // Answered by the insights instance under the advertised endpoint it gave Kafka Streams and its router.
                    assertThat(body.get("freshness").get("servedBy").asText()).isEqualTo(advertised);
                });
        assertThat(insights.advertisedEndpoint()).contains(advertised);
    }

    @Test
    void eachInstanceServesOnlyItsOwnComponentsRoutes() throws Exception {
        String token = insights.devTokens().orElseThrow().forTenant(TENANT);
        assertThat(get(ingest, "/api/v1/tenants/" + TENANT + "/metrics", token).statusCode()).as("insights API on ingest").isEqualTo(404);
        assertThat(get(ingest, "/api/v1/openapi.json", null).statusCode()).as("OpenAPI on ingest").isEqualTo(404);
        assertThat(get(ingest, "/dashboard/" + TENANT, null).statusCode()).as("dashboard on ingest").isEqualTo(404);
        assertThat(post(insights, IngestHttp.EVENTS_PATH, "[]").statusCode()).as("ingest on insights").isEqualTo(404);
        assertThat(post(insights, IngestHttp.EVENT_GRID_PATH, "[]").statusCode()).as("Event Grid on insights").isEqualTo(404);

        // Each one's own routes answer.
        assertThat(get(insights, "/api/v1/openapi.json", null).statusCode()).isEqualTo(200);
        assertThat(post(ingest, IngestHttp.EVENTS_PATH, "[]").statusCode()).as("empty batch on ingest").isNotEqualTo(404);
        assertThat(get(insights, "/health/live", null).statusCode()).isEqualTo(200);
        assertThat(get(ingest, "/health/live", null).statusCode()).isEqualTo(200);
    }

    @Test
    void bothInstancesExposeTheirOwnPrometheusMetrics() throws Exception {
        awaitReady(insights);
        HttpResponse<String> insightsMetrics = get(insights, "/metrics", null);
        HttpResponse<String> ingestMetrics = get(ingest, "/metrics", null);

        assertThat(insightsMetrics.statusCode()).isEqualTo(200);
        assertThat(insightsMetrics.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
        assertThat(insightsMetrics.body()).contains("kafka_stream_").contains("jvm_memory_used_bytes")
                .doesNotContain("pulse_ingest_delivery_circuit_state");
        assertThat(ingestMetrics.statusCode()).isEqualTo(200);
        assertThat(ingestMetrics.body()).contains("pulse_ingest_delivery_circuit_state").contains("jvm_memory_used_bytes")
                .doesNotContain("kafka_stream_");
    }

    private JsonNode awaitReady(PulsePipeline p) {
        JsonNode[] body = new JsonNode[1];
        await("GET /health/ready answers 200").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
            HttpResponse<String> r = get(p, "/health/ready", null);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            body[0] = json.readTree(r.body());
        });
        assertThat(body[0].get("status").asText()).isEqualTo("UP");
        return body[0];
    }

    private String purchase(String eventId, Instant eventTime) {
        ObjectNode e = json.createObjectNode().put("eventId", eventId).put("tenant", TENANT).put("type", "PURCHASE")
                .put("eventTime", eventTime.toString()).put("customerId", "c-1").put("sessionId", "s-1").put("channel", "WEB")
                .put("storeId", "web");
        ObjectNode payload = e.putObject("payload").put("orderId", "o-1");
        ObjectNode line = payload.putArray("lineItems").addObject().put("productId", "sku-1").put("quantity", 2);
        line.putObject("unitPrice").put("amount", "4.50").put("currency", "EUR");
        payload.putObject("total").put("amount", "9.00").put("currency", "EUR");
        ArrayNode batch = json.createArrayNode().add(e);
        return batch.toString();
    }

    /** Rows of the lake's events dataset with {@code eventId}, read with DuckDB from the committed Parquet files. */
    private long lakeRowsWithEventId(String eventId) throws Exception {
        Path dataset = ingestConfig.lake().dir().resolve("events");
        if (!Files.isDirectory(dataset)) {
            return 0;
        }
        List<String> committed;
        try (Stream<Path> files = Files.walk(dataset)) {
            committed = files.filter(f -> f.getFileName().toString().endsWith(".parquet")).map(f -> "'" + f + "'").toList();
        }
        if (committed.isEmpty()) {
            return 0;
        }
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
             PreparedStatement q = c.prepareStatement("select count(*) from read_parquet([" + String.join(", ", committed)
                     + "], hive_partitioning = true, union_by_name = true) where event_id = ?")) {
            q.setString(1, eventId);
            try (ResultSet rs = q.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private HttpResponse<String> get(PulsePipeline p, String pathAndQuery, String bearer) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://localhost:" + p.apiPort() + pathAndQuery));
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(PulsePipeline p, String path, String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + p.apiPort() + path))
                .header("Content-Type", "application/json").header(IngestHttp.KEY_HEADER, SOURCE_KEY)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
