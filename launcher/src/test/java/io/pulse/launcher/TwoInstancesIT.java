package io.pulse.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.pulse.avro.Envelope;
import io.pulse.avro.EventType;
import io.pulse.avro.LineItem;
import io.pulse.avro.Purchase;
import io.pulse.common.config.ConfigKeys;
import io.pulse.common.config.PulseConfig;
import io.pulse.common.topics.TopicCatalogue;
import io.pulse.ingest.delivery.EventPublisher;
import io.pulse.ingest.generator.RetailTrafficGenerator;
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
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Two Pulse instances as two pods of one deployment: one embedded broker and registry, two {@link PulsePipeline}s
 * with the same Kafka Streams application id, each with its own data and state directories and its own API port
 * (its {@code application.server}), one standby replica of every store. Traffic of three tenants with known
 * per-minute counts goes in; then:
 * <ol>
 *   <li>every route, for every tenant, asked on either instance, answers the values computed from the input
 *       alone, and both instances' answers name the same instance as the one that served them: the owner of the
 *       tenant's partition answered, directly or through a forwarded request;</li>
 *   <li>the instance that owns the first tenant's metrics is killed. In one JVM there is no SIGKILL, so the kill
 *       is simulated ({@link PulsePipeline#haltAsIfCrashed()}): its API stops at once and its Kafka Streams closes
 *       <em>without leaving the consumer group</em> ({@code CloseOptions} {@code REMAIN_IN_GROUP}), so the group
 *       learns of it only when its session times out, as after a crash; unlike a real crash, Kafka Streams still
 *       commits on the way out;</li>
 *   <li>the survivor keeps answering for every tenant throughout: from its standby copies while the group still
 *       counts the dead instance (saying {@code stale: true} with the copy's lag in records), then from its own
 *       active copies after taking over; any answer other than 200 must be a 503 with {@code Retry-After}.</li>
 * </ol>
 *
 * <p>Tokens: both instances verify OIDC bearer tokens of one issuer played by this test (a JWKS endpoint and a
 * signing key), as in production. The embedded default's dev tokens would not do: each instance signs its own
 * with a key of its own, so the other instance refuses them when a request is forwarded.
 */
@Timeout(value = 8, unit = TimeUnit.MINUTES)
class TwoInstancesIT {
    private static final Logger log = LoggerFactory.getLogger(TwoInstancesIT.class);
    private static final List<String> TENANTS = List.of("contoso", "fabrikam", "northwind");
    private static final int EVENTS = 3000;
    private static final long SEED = 20261122L;
    private static final Duration GRACE = Duration.ofSeconds(10);
    private static final Duration HOURLY_GRACE = Duration.ofMinutes(2);
    private static final String ISSUER = "https://issuer.pulse.test/two-instances";
    private static final String AUDIENCE = "api://pulse-insights-it";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ObjectMapper json = new ObjectMapper();

    @TempDir
    Path dirA;
    @TempDir
    Path dirB;

    private OidcTestIssuer issuer;
    private EmbeddedInfrastructure infrastructure;
    private final List<PulsePipeline> pipelines = new ArrayList<>();

    @AfterEach
    void stop() {
        pipelines.forEach(PulsePipeline::close);
        if (infrastructure != null) {
            infrastructure.close();
        }
        if (issuer != null) {
            issuer.close();
        }
    }

    @Test
    void eitherInstanceAnswersEveryTenantAndTheSurvivorKeepsAnsweringAfterTheOtherCrashes() throws Exception {
        issuer = OidcTestIssuer.start(ISSUER, AUDIENCE);
        PulseConfig configA = config(dirA);
        infrastructure = EmbeddedInfrastructure.start(configA);
        PulsePipeline a = start(configA);
        PulsePipeline b = start(config(dirB));
        // Both in the group and running before any data: both hold empty, caught-up state, so tasks spread over both.
        awaitRunning(a);
        awaitRunning(b);

        Instant base = Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofMinutes(20));
        List<Envelope> events = generate(base);
        publish(events, a);
        Expected expected = new Expected(events);

        // 1. Every tenant, every route, on either instance: the expected values, served by the owner.
        Map<String, String> ownerOfMetrics = new ConcurrentHashMap<>();
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            for (String tenant : TENANTS) {
                Map<String, String> servedBy = new HashMap<>();
                for (PulsePipeline asked : List.of(a, b)) {
                    Map<String, String> byRoute = assertEveryRoute(asked, tenant, expected);
                    byRoute.forEach((route, by) -> {
                        String other = servedBy.putIfAbsent(route, by);
                        assertThat(other == null || other.equals(by)).as("%s of %s: both instances' answers come from its owner (%s, %s)",
                                route, tenant, other, by).isTrue();
                    });
                }
                ownerOfMetrics.put(tenant, servedBy.get("metrics"));
            }
        });
        assertThat(new HashSet<>(ownerOfMetrics.values())).as("owners").isSubsetOf(name(a), name(b));

        // 2. Kill the owner of the first tenant's metrics.
        PulsePipeline victim = ownerOfMetrics.get(TENANTS.get(0)).equals(name(a)) ? a : b;
        PulsePipeline survivor = victim == a ? b : a;
        String victimName = name(victim);
        String survivorName = name(survivor);
        Set<String> victimsTenants = TENANTS.stream().filter(t -> ownerOfMetrics.get(t).equals(victimName)).collect(Collectors.toSet());
        victim.haltAsIfCrashed();
        pipelines.remove(victim);

        // 3. The survivor answers every tenant throughout: stale from its standbys, then its own after taking over.
        List<Observation> seen = new CopyOnWriteArrayList<>();
        await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            List<Observation> round = new ArrayList<>();
            for (String tenant : TENANTS) {
                round.add(observeMetrics(survivor, tenant, expected));
            }
            seen.addAll(round);
            assertThat(round).as("every tenant answered by the survivor from its own active copy")
                    .allSatisfy(o -> assertThat(o.status() == 200 && !o.stale() && o.servedBy().equals(survivorName)).as("%s", o).isTrue());
        });
        List<Observation> refused = seen.stream().filter(o -> o.status() != 200).toList();
        log.info("Failing over from {} to {} ({} owned {}): {} answers, {} stale from standbys (lags {}), {} refused with 503",
                victimName, survivorName, victimName, victimsTenants, seen.size(),
                seen.stream().filter(o -> o.status() == 200 && o.stale()).count(),
                seen.stream().filter(o -> o.status() == 200 && o.stale()).map(o -> String.valueOf(o.lagRecords())).collect(Collectors.toCollection(java.util.TreeSet::new)),
                refused.size());
        assertThat(refused).as("answers other than 200 while failing over").allSatisfy(o -> {
            assertThat(o.status()).isEqualTo(503);
            assertThat(o.retryAfter()).isNotNull();
        });
        List<Observation> stale = seen.stream().filter(o -> o.status() == 200 && o.stale()).toList();
        assertThat(stale).as("stale answers from the survivor's standbys for the dead instance's tenants %s", victimsTenants)
                .isNotEmpty()
                .allSatisfy(o -> {
                    assertThat(o.servedBy()).isEqualTo(survivorName);
                    assertThat(o.lagRecords()).as("lag of the standby copy").isNotNull().isGreaterThanOrEqualTo(0L);
                });
        assertThat(stale).extracting(Observation::tenant).containsAnyElementsOf(victimsTenants);
        assertThat(seen.stream().filter(o -> o.status() == 200).toList())
                .as("every answer, stale or not, has the expected counts (nothing was published after the data settled)")
                .allSatisfy(o -> assertThat(o.countsMatch()).as("%s", o).isTrue());

        // After the takeover every route answers every tenant on the survivor, from its own copies.
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            for (String tenant : TENANTS) {
                assertThat(assertEveryRoute(survivor, tenant, expected)).as("served by").containsOnlyKeys(ROUTES)
                        .allSatisfy((route, by) -> assertThat(by).as(route).isEqualTo(survivorName));
            }
        });
        assertThat(get(survivor, "/health/ready", null).statusCode()).isEqualTo(200);
    }

    // --- the routes -------------------------------------------------------------------------------------

    private static final List<String> ROUTES = List.of("metrics", "store-channel-metrics", "channel-metrics", "top-products",
            "active-customers", "profile", "alerts");

    /**
     * Asks every route for {@code tenant} on {@code asked} and checks each answer against the input; returns route to
     * the instance that served it.
     */
    private Map<String, String> assertEveryRoute(PulsePipeline asked, String tenant, Expected expected)
            throws Exception {
        Map<String, String> servedBy = new TreeMap<>();
        Instant from = expected.base.minus(Duration.ofMinutes(1));
        Instant to = expected.base.plus(Duration.ofMinutes(30));
        Instant newest = expected.newest.get(tenant);

        JsonNode metrics = ok(asked, tenant, "/metrics?window=PT1M&from=" + from + "&to=" + to);
        assertThat(counts(metrics)).as("1-minute counts of %s", tenant).isEqualTo(expected.perMinute.get(tenant));
        assertFinality(metrics.get("windows"), Duration.ofMinutes(1), GRACE, newest);
        servedBy.put("metrics", freshness(metrics, newest));

        StoreChannel sc = expected.busiestStoreChannel.get(tenant);
        JsonNode perStore = ok(asked, tenant, "/metrics?window=PT1M&store=" + sc.store() + "&channel=" + sc.channel() + "&from=" + from + "&to=" + to);
        assertThat(counts(perStore)).as("1-minute counts of %s at %s", tenant, sc).isEqualTo(expected.perMinuteAt(tenant, sc));
        perStore.get("windows").forEach(w -> assertThat(w.get("store").asText() + "/" + w.get("channel").asText()).isEqualTo(sc.store() + "/" + sc.channel()));
        servedBy.put("store-channel-metrics", freshness(perStore, newest));

        // Only the channel: one series per store of that channel (a key-range read of the store-channel store).
        JsonNode perChannel = ok(asked, tenant, "/metrics?window=PT1M&channel=" + sc.channel() + "&from=" + from + "&to=" + to);
        Map<String, Long> byStoreAndMinute = new TreeMap<>();
        perChannel.get("windows").forEach(w -> {
            assertThat(w.get("channel").asText()).isEqualTo(sc.channel());
            byStoreAndMinute.put(w.get("store").asText() + "@" + w.get("start").asText(), w.get("events").asLong());
        });
        assertThat(byStoreAndMinute).as("1-minute counts of %s per store of channel %s", tenant, sc.channel())
                .isEqualTo(expected.perStoreAndMinuteOf(tenant, sc.channel()));
        servedBy.put("channel-metrics", freshness(perChannel, newest));

        JsonNode top = ok(asked, tenant, "/top-products?window=PT1H&from=" + from.truncatedTo(ChronoUnit.HOURS) + "&to=" + to);
        Map<Instant, List<Long>> hours = new TreeMap<>();
        top.get("windows").forEach(w -> hours.put(Instant.parse(w.get("start").asText()),
                List.of(w.get("productViews").asLong(), w.get("unitsPurchased").asLong())));
        assertThat(hours).as("hourly product views and units of %s", tenant).isEqualTo(expected.hourlyViewsAndUnits.get(tenant));
        assertFinality(top.get("windows"), Duration.ofHours(1), HOURLY_GRACE, newest);
        servedBy.put("top-products", freshness(top, newest));

        JsonNode active = ok(asked, tenant, "/active-customers?from=" + from.truncatedTo(ChronoUnit.DAYS) + "&to=" + to);
        Map<Instant, Long> daily = new TreeMap<>();
        active.get("days").forEach(d -> daily.put(Instant.parse(d.get("start").asText()), d.get("dailyActive").asLong()));
        assertThat(daily.keySet()).isEqualTo(expected.dailyActive.get(tenant).keySet());
        daily.forEach((day, dau) -> {
            long exact = expected.dailyActive.get(tenant).get(day);
            // HyperLogLog: exact up to 384 distinct customers, within a few percent beyond.
            assertThat((double) dau).as("DAU of %s on %s", tenant, day).isCloseTo(exact, org.assertj.core.data.Offset.offset(exact <= 384 ? 0.0 : exact * 0.05));
        });
        servedBy.put("active-customers", freshness(active, newest));

        String customer = expected.busiestCustomer.get(tenant);
        JsonNode profile = ok(asked, tenant, "/customers/" + customer + "/profile");
        assertThat(List.of(profile.at("/profile/events").asLong(), profile.at("/profile/orders").asLong()))
                .as("events and orders of %s's customer %s", tenant, customer).isEqualTo(expected.customerEventsAndOrders(tenant, customer));
        servedBy.put("profile", freshness(profile, newest));

        JsonNode alerts = ok(asked, tenant, "/alerts?limit=5");
        assertThat(alerts.get("alerts").isArray()).isTrue();
        assertThat(alerts.get("alerts").size()).isLessThanOrEqualTo(5);
        alerts.get("alerts").forEach(al -> assertThat(al.get("key").asText()).startsWith(tenant + "/"));
        servedBy.put("alerts", freshness(alerts, newest));
        return servedBy;
    }

    /** The tenant's newest event time, its age, and who served the answer from which copy. */
    private static String freshness(JsonNode body, Instant newest) {
        JsonNode f = body.get("freshness");
        assertThat(f).as("freshness in %s", body).isNotNull();
        assertThat(Instant.parse(f.get("newestEventTime").asText())).as("newest event time").isEqualTo(newest);
        long age = Duration.between(newest, Instant.now()).toSeconds();
        assertThat(f.get("ageSeconds").asLong()).as("age of the newest event").isBetween(age - 30, age + 1);
        assertThat(f.get("stale").asBoolean()).as("stale: %s", f).isFalse();
        assertThat(f.get("lagRecords").asLong()).isZero();
        return f.get("servedBy").asText();
    }

    /** Each window is final exactly when the tenant's newest event time has passed its end plus its grace. */
    private static void assertFinality(JsonNode windows, Duration size, Duration grace, Instant newest) {
        assertThat(windows.size()).isPositive();
        windows.forEach(w -> {
            Instant end = Instant.parse(w.get("end").asText());
            assertThat(Duration.between(Instant.parse(w.get("start").asText()), end)).isEqualTo(size);
            assertThat(w.get("final").asBoolean()).as("final of the window ending %s (newest event %s)", end, newest)
                    .isEqualTo(!newest.isBefore(end.plus(grace)));
        });
    }

    private Observation observeMetrics(PulsePipeline asked, String tenant, Expected expected) throws Exception {
        Instant from = expected.base.minus(Duration.ofMinutes(1));
        Instant to = expected.base.plus(Duration.ofMinutes(30));
        HttpResponse<String> r = get(asked, "/api/v1/tenants/" + tenant + "/metrics?window=PT1M&from=" + from + "&to=" + to, issuer.token(tenant));
        if (r.statusCode() != 200) {
            return new Observation(tenant, r.statusCode(), r.headers().firstValue("Retry-After").orElse(null), false, null, null, false, r.body());
        }
        JsonNode body = json.readTree(r.body());
        JsonNode f = body.get("freshness");
        return new Observation(tenant, 200, null, f.get("stale").asBoolean(), f.get("servedBy").asText(),
                f.get("lagRecords").isNull() ? null : f.get("lagRecords").asLong(),
                counts(body).equals(expected.perMinute.get(tenant)), f.toString());
    }

    /** One answer of the survivor while failing over. */
    private record Observation(String tenant, int status, String retryAfter, boolean stale, String servedBy, Long lagRecords,
                               boolean countsMatch, String detail) {
    }

    private JsonNode ok(PulsePipeline asked, String tenant, String pathAndQuery) throws Exception {
        HttpResponse<String> r = get(asked, "/api/v1/tenants/" + tenant + pathAndQuery, issuer.token(tenant));
        assertThat(r.statusCode()).as("GET %s on %s answered %s", pathAndQuery, name(asked), r.body()).isEqualTo(200);
        return json.readTree(r.body());
    }

    private static Map<Instant, Long> counts(JsonNode body) {
        Map<Instant, Long> counts = new TreeMap<>();
        body.get("windows").forEach(w -> counts.put(Instant.parse(w.get("start").asText()), w.get("events").asLong()));
        assertThat(body.get("totalEvents").asLong()).isEqualTo(counts.values().stream().mapToLong(Long::longValue).sum());
        return counts;
    }

    private HttpResponse<String> get(PulsePipeline asked, String pathAndQuery, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://localhost:" + asked.apiPort() + pathAndQuery))
                .timeout(Duration.ofSeconds(20));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String name(PulsePipeline p) {
        return "localhost:" + p.apiPort();
    }

    // --- setting up ------------------------------------------------------------------------------------

    private PulseConfig config(Path dataDir) {
        return LocalPulse.config(dataDir, Map.of(
                ConfigKeys.WINDOW_GRACE, "10s",
                ConfigKeys.HOURLY_WINDOW_GRACE, "2m",
                ConfigKeys.STREAMS_STANDBY_REPLICAS, "1",
                ConfigKeys.API_AUTH_MODE, "oidc",
                ConfigKeys.API_AUTH_ISSUER, ISSUER,
                ConfigKeys.API_AUTH_AUDIENCE, AUDIENCE,
                ConfigKeys.API_AUTH_JWKS_URL, issuer.jwksUrl(),
                ConfigKeys.API_RATE_LIMIT, "1000000"));
    }

    private PulsePipeline start(PulseConfig config) {
        PulsePipeline p = PulsePipeline.start(config, infrastructure.clients(), infrastructure.registryUrl());
        pipelines.add(p);
        return p;
    }

    private void awaitRunning(PulsePipeline p) {
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            HttpResponse<String> r = get(p, "/health/ready", null);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            assertThat(json.readTree(r.body()).get("streams").asText()).isEqualTo("RUNNING");
        });
    }

    /** N events over ~15 minutes of event time, a little out of order (within grace), deterministic by seed. */
    private static List<Envelope> generate(Instant base) {
        RetailTrafficGenerator generator = new RetailTrafficGenerator(TENANTS, SEED);
        Random jitter = new Random(SEED);
        List<Envelope> events = new ArrayList<>();
        for (int i = 0; i < EVENTS; i++) {
            events.add(generator.next(base.plusMillis(i * 300L + 5_000 - jitter.nextInt(5_000))));
        }
        return events;
    }

    private void publish(List<Envelope> events, PulsePipeline via) throws Exception {
        try (EventPublisher publisher = new EventPublisher(infrastructure.clients(),
                via.serdes().forValue(TopicCatalogue.EVENTS).serializer(), "two-instances-it")) {
            List<CompletableFuture<?>> acks = new ArrayList<>();
            events.forEach(e -> acks.add(publisher.publish(e)));
            CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        }
    }

    // --- what the answers must say, from the input alone -------------------------------------------------

    private record StoreChannel(String store, String channel) implements Comparable<StoreChannel> {
        @Override
        public int compareTo(StoreChannel o) {
            return Comparator.comparing(StoreChannel::store).thenComparing(StoreChannel::channel).compare(this, o);
        }
    }

    private static final class Expected {
        final Instant base;
        final List<Envelope> events;
        final Map<String, Map<Instant, Long>> perMinute = new TreeMap<>();
        final Map<String, Instant> newest = new TreeMap<>();
        final Map<String, StoreChannel> busiestStoreChannel = new TreeMap<>();
        final Map<String, Map<Instant, List<Long>>> hourlyViewsAndUnits = new TreeMap<>();
        final Map<String, Map<Instant, Long>> dailyActive = new TreeMap<>();
        final Map<String, String> busiestCustomer = new TreeMap<>();

        Expected(List<Envelope> events) {
            this.events = events;
            this.base = events.stream().map(Envelope::getEventTime).min(Comparator.naturalOrder()).orElseThrow().truncatedTo(ChronoUnit.MINUTES);
            Map<String, Map<StoreChannel, Long>> storeChannels = new TreeMap<>();
            Map<String, Map<Instant, Set<String>>> customersPerDay = new TreeMap<>();
            Map<String, Map<String, Long>> customers = new TreeMap<>();
            for (Envelope e : events) {
                String t = e.getTenant();
                Instant time = e.getEventTime();
                perMinute.computeIfAbsent(t, k -> new TreeMap<>()).merge(time.truncatedTo(ChronoUnit.MINUTES), 1L, Long::sum);
                newest.merge(t, time, (x, y) -> x.isAfter(y) ? x : y);
                storeChannels.computeIfAbsent(t, k -> new HashMap<>()).merge(storeChannelOf(e), 1L, Long::sum);
                long views = e.getEventType() == EventType.PRODUCT_VIEW ? 1 : 0;
                long units = e.getPayload() instanceof Purchase p ? p.getLineItems().stream().mapToLong(LineItem::getQuantity).sum() : 0;
                if (views + units > 0) {
                    hourlyViewsAndUnits.computeIfAbsent(t, k -> new TreeMap<>()).merge(time.truncatedTo(ChronoUnit.HOURS), List.of(views, units),
                            (x, y) -> List.of(x.get(0) + y.get(0), x.get(1) + y.get(1)));
                }
                if (e.getCustomerId() != null) {
                    customersPerDay.computeIfAbsent(t, k -> new TreeMap<>()).computeIfAbsent(time.truncatedTo(ChronoUnit.DAYS), k -> new HashSet<>())
                            .add(e.getCustomerId());
                    customers.computeIfAbsent(t, k -> new TreeMap<>()).merge(e.getCustomerId(), 1L, Long::sum);
                }
            }
            storeChannels.forEach((t, m) -> busiestStoreChannel.put(t, max(m)));
            customersPerDay.forEach((t, days) -> dailyActive.put(t, days.entrySet().stream()
                    .collect(Collectors.toMap(Map.Entry::getKey, d -> (long) d.getValue().size(), (x, y) -> x, TreeMap::new))));
            customers.forEach((t, m) -> busiestCustomer.put(t, max(m)));
            assertThat(perMinute.keySet()).containsExactlyInAnyOrderElementsOf(TENANTS);
        }

        Map<Instant, Long> perMinuteAt(String tenant, StoreChannel sc) {
            return count(e -> e.getTenant().equals(tenant) && storeChannelOf(e).equals(sc), e -> e.getEventTime().truncatedTo(ChronoUnit.MINUTES));
        }

        /** {@code store@minute} to events, of the tenant's events on one channel. */
        Map<String, Long> perStoreAndMinuteOf(String tenant, String channel) {
            Map<String, Long> m = new TreeMap<>();
            events.stream().filter(e -> e.getTenant().equals(tenant) && e.getChannel().name().equals(channel))
                    .forEach(e -> m.merge(storeChannelOf(e).store() + "@" + e.getEventTime().truncatedTo(ChronoUnit.MINUTES), 1L, Long::sum));
            return m;
        }

        List<Long> customerEventsAndOrders(String tenant, String customer) {
            List<Envelope> theirs = events.stream().filter(e -> e.getTenant().equals(tenant) && customer.equals(e.getCustomerId())).toList();
            return List.of((long) theirs.size(), theirs.stream().filter(e -> e.getPayload() instanceof Purchase).count());
        }

        private Map<Instant, Long> count(java.util.function.Predicate<Envelope> which, Function<Envelope, Instant> key) {
            Map<Instant, Long> m = new TreeMap<>();
            events.stream().filter(which).forEach(e -> m.merge(key.apply(e), 1L, Long::sum));
            return m;
        }

        private static StoreChannel storeChannelOf(Envelope e) {
            return new StoreChannel(Objects.requireNonNullElse(e.getStoreId(), "-"), e.getChannel().name());
        }

        private static <K extends Comparable<K>> K max(Map<K, Long> counts) {
            return counts.entrySet().stream()
                    .max(Map.Entry.<K, Long>comparingByValue().thenComparing(Map.Entry.comparingByKey(Comparator.reverseOrder())))
                    .orElseThrow().getKey();
        }
    }
}
