package io.pulse.launcher.drills;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.pulse.avro.Envelope;
import io.pulse.common.config.ConfigKeys;
import io.pulse.common.config.PulseConfig;
import io.pulse.common.topics.TopicCatalogue;
import io.pulse.ingest.delivery.EventPublisher;
import io.pulse.ingest.generator.RetailTrafficGenerator;
import io.pulse.launcher.LocalPulse;
import io.pulse.launcher.OidcTestIssuer;
import io.pulse.launcher.wiring.EmbeddedInfrastructure;
import io.pulse.launcher.wiring.PulsePipeline;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Drill: a query load on every tenant route of two instances while a third instance joins the group and then
 * leaves it (two rebalances). Verifies that no request is answered with a 5xx other than the documented 503 with
 * {@code Retry-After}, that every other answer is a 200, and prints the status histogram.
 *
 * <p>Injected: the join and the clean departure of a third instance (same application id, its own state dir),
 * each a rebalance that moves tasks and their stores. Not injected here: a crash (see TwoInstancesIT and
 * StreamsKillDrillIT). Instances share one embedded broker and trust one OIDC test issuer (dev tokens are per
 * process, and requests are forwarded between instances with the caller's token).
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class RebalanceQueryDrillIT {
    private static final List<String> TENANTS = List.of("contoso", "fabrikam", "northwind");
    private static final List<String> ROUTES = List.of("/metrics?window=PT1M", "/metrics?window=PT5M", "/top-products?window=PT1H",
            "/active-customers", "/alerts?limit=10", "/freshness");
    private static final int EVENTS = 2000;
    private static final int CLIENTS = 4;
    private static final long SEED = 20261121L;

    @TempDir
    Path dirA;
    @TempDir
    Path dirB;
    @TempDir
    Path dirC;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ObjectMapper json = new ObjectMapper();
    private final List<PulsePipeline> pipelines = new CopyOnWriteArrayList<>();
    private OidcTestIssuer issuer;
    private EmbeddedInfrastructure infrastructure;
    private ExecutorService load;

    @AfterEach
    void stop() throws InterruptedException {
        if (load != null) {
            load.shutdownNow();
            load.awaitTermination(30, TimeUnit.SECONDS);
        }
        pipelines.forEach(PulsePipeline::close);
        if (infrastructure != null) {
            infrastructure.close();
        }
        if (issuer != null) {
            issuer.close();
        }
    }

    @Test
    void queriesDuringAJoinAndALeaveGetAnswersOr503WithRetryAfterOnly() throws Exception {
        issuer = OidcTestIssuer.start("https://issuer.pulse.test/rebalance-drill", "api://pulse-insights-drill");
        PulseConfig configA = config(dirA);
        infrastructure = EmbeddedInfrastructure.start(configA);
        PulsePipeline a = start(configA);
        PulsePipeline b = start(config(dirB));
        awaitRunning(a);
        awaitRunning(b);
        publish(a);

        Map<String, AtomicLong> histogram = new ConcurrentHashMap<>();
        List<String> violations = new CopyOnWriteArrayList<>();
        AtomicBoolean running = new AtomicBoolean(true);
        List<PulsePipeline> queried = List.of(a, b);
        load = Executors.newFixedThreadPool(CLIENTS);
        List<CompletableFuture<Void>> clients = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            Random random = new Random(SEED + c);
            clients.add(CompletableFuture.runAsync(() -> {
                while (running.get()) {
                    PulsePipeline asked = queried.get(random.nextInt(queried.size()));
                    String tenant = TENANTS.get(random.nextInt(TENANTS.size()));
                    String route = ROUTES.get(random.nextInt(ROUTES.size()));
                    query(asked, tenant, route, histogram, violations);
                }
            }, load));
        }
        awaitRequests(histogram, 200);

        Instant joined = Instant.now();
        PulsePipeline c = start(config(dirC));
        awaitRunning(c);
        awaitRunning(a);
        awaitRunning(b);
        long afterJoin = total(histogram);
        awaitRequests(histogram, afterJoin + 200);

        Instant left = Instant.now();
        pipelines.remove(c);
        c.close(); // a clean departure: Kafka Streams leaves the group, its tasks move back to A and B
        awaitRunning(a);
        awaitRunning(b);
        awaitRequests(histogram, total(histogram) + 200);

        running.set(false);
        CompletableFuture.allOf(clients.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);

        Map<String, Long> statuses = new TreeMap<>();
        histogram.forEach((k, v) -> statuses.put(k, v.get()));
        System.out.printf("RebalanceQueryDrillIT injected: a third instance joined at %s (RUNNING after the rebalance) and left cleanly at %s%n",
                joined, left);
        System.out.printf("RebalanceQueryDrillIT verified: %d requests from %d clients on %d routes x %d tenants, statuses %s; %d violations%n",
                total(histogram), CLIENTS, ROUTES.size(), TENANTS.size(), statuses, violations.size());
        assertThat(violations).as("answers other than 200 or 503 with Retry-After").isEmpty();
        assertThat(statuses.keySet()).as("every answer is a 200 or a documented 503").isSubsetOf("200", "503+Retry-After");
        assertThat(statuses.getOrDefault("200", 0L)).as("the load really was answered").isGreaterThan(500);
    }

    private void query(PulsePipeline asked, String tenant, String route, Map<String, AtomicLong> histogram, List<String> violations) {
        URI uri = URI.create("http://localhost:" + asked.apiPort() + "/api/v1/tenants/" + tenant + route);
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(20))
                    .header("Authorization", "Bearer " + issuer.token(tenant)).build(), HttpResponse.BodyHandlers.ofString());
            String key = Integer.toString(r.statusCode());
            if (r.statusCode() == 503 && r.headers().firstValue("Retry-After").isPresent()) {
                key = "503+Retry-After";
            } else if (r.statusCode() != 200) {
                violations.add(r.statusCode() + " from " + uri + ": " + r.body());
            } else {
                json.readTree(r.body()); // a 200 carries a JSON body
            }
            histogram.computeIfAbsent(key, k -> new AtomicLong()).incrementAndGet();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            if (!Thread.currentThread().isInterrupted()) {
                violations.add("no answer from " + uri + ": " + e);
                histogram.computeIfAbsent("no answer", k -> new AtomicLong()).incrementAndGet();
            }
        }
    }

    private static long total(Map<String, AtomicLong> histogram) {
        return histogram.values().stream().mapToLong(AtomicLong::get).sum();
    }

    private static void awaitRequests(Map<String, AtomicLong> histogram, long atLeast) {
        await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(200)).until(() -> total(histogram) >= atLeast);
    }

    private PulseConfig config(Path dataDir) {
        Map<String, String> keys = new HashMap<>(issuer.configuration());
        keys.put(ConfigKeys.STREAMS_STANDBY_REPLICAS, "1");
        keys.put(ConfigKeys.API_RATE_LIMIT, "1000000");
        return LocalPulse.config(dataDir, keys);
    }

    private PulsePipeline start(PulseConfig config) {
        PulsePipeline p = PulsePipeline.start(config, infrastructure.clients(), infrastructure.registryUrl());
        pipelines.add(p);
        return p;
    }

    private void awaitRunning(PulsePipeline p) {
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + p.apiPort() + "/health/ready")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            assertThat(json.readTree(r.body()).get("streams").asText()).isEqualTo("RUNNING");
        });
    }

    private void publish(PulsePipeline via) throws Exception {
        RetailTrafficGenerator generator = new RetailTrafficGenerator(TENANTS, SEED);
        Instant base = Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofMinutes(15));
        try (EventPublisher publisher = new EventPublisher(infrastructure.clients(),
                via.serdes().forValue(TopicCatalogue.EVENTS).serializer(), "rebalance-drill")) {
            List<CompletableFuture<?>> acks = new ArrayList<>();
            for (int i = 0; i < EVENTS; i++) {
                Envelope e = generator.next(base.plusMillis(i * 400L));
                acks.add(publisher.publish(e));
            }
            CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        }
    }
}
