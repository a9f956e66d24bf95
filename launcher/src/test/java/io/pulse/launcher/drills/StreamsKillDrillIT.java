package io.pulse.launcher.drills;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.pulse.avro.WindowedMetrics;
import io.pulse.common.config.ConfigKeys;
import io.pulse.common.config.PulseConfig;
import io.pulse.common.topics.TopicCatalogue;
import io.pulse.ingest.delivery.EventPublisher;
import io.pulse.ingest.generator.GeneratedEvent;
import io.pulse.ingest.generator.GeneratedEvent.Kind;
import io.pulse.ingest.generator.RetailTrafficGenerator;
import io.pulse.ingest.generator.TrafficMix;
import io.pulse.launcher.ChildJvm;
import io.pulse.launcher.wiring.EmbeddedInfrastructure;
import io.pulse.launcher.wiring.PulsePipeline;
import java.io.IOException;
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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.RemoveMembersFromConsumerGroupOptions;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fault drill: the topology (Kafka Streams, exactly_once_v2) runs as a real child JVM ({@link StreamsChild}) and is
 * SIGKILLed repeatedly while generated traffic (duplicates, late and malformed events) is published; each kill is
 * followed by a restart on the same state directory. A last child drains the backlog and is stopped with SIGTERM.
 * Afterwards every final tenant-wide per-minute metric on the metrics topic (read_committed) equals the value computed
 * from the input, exactly, with one final record per window, and no transaction of the application is left ONGOING.
 *
 * <p>The seed ({@code -Dpulse.drill.seed=...}) fixes the traffic and the kill schedule. CI size: 6,000 events, 4 kills;
 * long mode ({@link DrillMode}): 40,000 events, 20 kills.
 *
 * <p>A SIGKILLed member stays in the group until its session times out (45 s); the drill removes it with the admin
 * client as the timeout would, so that restarts do not wait. A killed instance's open transaction is aborted by the
 * broker when the restarted instance (same state directory, so same process id and transactional ids) fences it.
 */
@Timeout(value = 20, unit = TimeUnit.MINUTES)
class StreamsKillDrillIT {
    private static final String TAG = "[streams-kill drill]";
    private static final List<String> TENANTS = List.of("contoso", "fabrikam", "northwind");
    private static final long SEED = Long.getLong("pulse.drill.seed", 20_261_107L);
    private static final Duration GRACE = Duration.ofSeconds(10);
    private static final int MIN_PAUSE_MS = 2_000;
    private static final int MAX_PAUSE_MS = 7_000;

    @TempDir
    Path brokerDir;
    @TempDir
    Path childDir;
    @TempDir
    Path logDir;

    private final List<Process> children = new ArrayList<>();

    @AfterEach
    void killChildren() {
        children.forEach(Process::destroyForcibly);
    }

    @Test
    void ciSized() throws Exception {
        drill(6_000, 4);
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.MINUTES)
    void longMode() throws Exception {
        assumeTrue(DrillMode.isLong(), DrillMode.HOW_TO_ENABLE);
        drill(40_000, 20);
    }

    private void drill(int eventCount, int killCount) throws Exception {
        System.out.printf("%s seed %d (-Dpulse.drill.seed=%d to repeat): %,d generated events, %d SIGKILLs of the streams child"
                + " %d-%d ms after it starts%n", TAG, SEED, SEED, eventCount, killCount, MIN_PAUSE_MS, MAX_PAUSE_MS);
        Random random = new Random(SEED);
        Map<String, String> settings = Map.of(
                ConfigKeys.WINDOW_GRACE, GRACE.toSeconds() + "s",
                ConfigKeys.HOURLY_WINDOW_GRACE, GRACE.toSeconds() + "s",
                ConfigKeys.STREAMS_GUARANTEE, "exactly_once_v2",
                ConfigKeys.GENERATOR_RATE, "0");
        PulseConfig config = config(brokerDir, settings);
        String appId = config.streams().applicationId();
        List<GeneratedEvent> traffic = traffic(eventCount);
        ExpectedMetrics expected = ExpectedMetrics.from(
                traffic.stream().filter(g -> g.kind() == Kind.NORMAL).map(GeneratedEvent::event).toList(), GRACE);
        assertThat(expected.closedWindows).as("closed tenant-wide minute windows in the input").hasSizeGreaterThan(40);

        int upfront = eventCount / 4;
        try (EmbeddedInfrastructure infra = EmbeddedInfrastructure.start(config);
             Admin admin = Admin.create(infra.clients().admin("streams-kill-drill"));
             EventPublisher publisher = new EventPublisher(infra.clients(),
                     PulsePipeline.registrySerdes(infra.registryUrl()).forValue(TopicCatalogue.EVENTS).serializer(), "streams-kill-drill")) {
            Launcher launcher = new Launcher(infra, settings, childDir, logDir, children);
            all(traffic.subList(0, upfront).stream().map(g -> publisher.publish(g.event())).toList()).get(60, TimeUnit.SECONDS);
            // The rest is published at a steady pace over about the time the kills take.
            int perTick = Math.max(20, (eventCount - upfront) / Math.max(1, killCount * 10 * 4));
            PacedProducer producer = new PacedProducer(publisher, traffic.subList(upfront, eventCount), perTick);
            List<String> killLog = new ArrayList<>();
            long start = System.nanoTime();
            try {
                for (int k = 1; k <= killCount; k++) {
                    Child child = launcher.start(k);
                    await("streams child " + k + " starts").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(100))
                            .until(() -> child.assertAlive() && child.log().contains(StreamsChild.STARTED));
                    int pause = MIN_PAUSE_MS + random.nextInt(MAX_PAUSE_MS - MIN_PAUSE_MS + 1);
                    // The random pause is the injection itself; a child that exits during it failed on its own.
                    assertThat(child.process().waitFor(pause, TimeUnit.MILLISECONDS)).as("streams child %d exited by itself:%n%s", k, child.log())
                            .isFalse();
                    child.process().destroyForcibly(); // SIGKILL
                    assertThat(child.process().waitFor(30, TimeUnit.SECONDS)).as("child %d dies after SIGKILL", k).isTrue();
                    Map<TransactionState, Long> states = transactionStates(admin, appId);
                    killLog.add(String.format("kill %2d at %6.1f s, %5d ms after start; %,6d events published so far; app transactions right after: %s",
                            k, (System.nanoTime() - start) / 1e9, pause, upfront + producer.published(), states));
                    removeDeadMembers(admin, appId);
                }
            } finally {
                producer.finish();
            }
            killLog.forEach(l -> System.out.println(TAG + "   " + l));

            Child last = launcher.start(killCount + 1);
            ExpectedMetrics.Finals finals = new ExpectedMetrics.Finals();
            try (KafkaConsumer<String, WindowedMetrics> metrics = new KafkaConsumer<>(
                    infra.clients().consumer("streams-kill-drill-" + System.nanoTime(), "streams-kill-drill"), new StringDeserializer(),
                    PulsePipeline.registrySerdes(infra.registryUrl()).forValue(TopicCatalogue.METRICS).deserializer())) {
                metrics.subscribe(List.of(TopicCatalogue.METRICS.name()));
                try {
                    await("every closed window has its final on " + TopicCatalogue.METRICS.name()).atMost(Duration.ofMinutes(4))
                            .pollInterval(Duration.ZERO).untilAsserted(() -> {
                                last.assertAlive();
                                finals.poll(metrics);
                                assertThat(finals.byWindow.keySet()).containsAll(expected.closedWindows.keySet());
                            });
                } catch (ConditionTimeoutException e) {
                    throw new AssertionError(e.getMessage() + "\nthe last streams child's log (tail):\n" + last.logTail(200), e);
                }
                last.process().destroy(); // SIGTERM: commit and leave
                assertThat(last.process().waitFor(90, TimeUnit.SECONDS)).as("last child stops after SIGTERM").isTrue();
                assertThat(last.log()).contains("streams child stopped cleanly");
                // Read the metrics topic to its (committed) end, so that a duplicate final could not hide behind the await.
                Map<TopicPartition, Long> end = metrics.endOffsets(metrics.assignment());
                await("metrics topic read to its end").atMost(Duration.ofMinutes(1)).pollInterval(Duration.ZERO).until(() -> {
                    finals.poll(metrics);
                    return end.entrySet().stream().allMatch(e -> metrics.position(e.getKey()) >= e.getValue());
                });
            }
            // Every final equals the input's value, exactly; one final per window.
            expected.assertMatches(finals);

            // No transaction of the application is left open (a killed one is aborted when its id is fenced).
            await("no ONGOING transaction of " + appId).atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500))
                    .until(() -> !transactionStates(admin, appId).containsKey(TransactionState.ONGOING));
            Map<TransactionState, Long> txStates = transactionStates(admin, appId);
            assertThat(txStates).as("the application's transactional ids are known to the broker").isNotEmpty();

            long events = finals.events();
            System.out.printf("%s injected: %d SIGKILLs + restarts, %,d events published (%,d before the first child, the rest during the kills)%n",
                    TAG, killCount, eventCount, upfront);
            System.out.printf("%s verified: %,d final tenant-wide 1-minute windows (all %,d surely-closed ones among them) equal the input"
                            + " exactly (events, orders, revenue per currency; %,d events in them), each final exactly once on %s (read_committed);"
                            + " transactions of %s after the end: %s, none ONGOING%n",
                    TAG, finals.byWindow.size(), expected.closedWindows.size(), events, TopicCatalogue.METRICS.name(), appId, txStates);
        }
    }

    static PulseConfig config(Path dataDir, Map<String, String> extra) {
        Map<String, String> overrides = new HashMap<>(Map.of(
                ConfigKeys.DATA_DIR, dataDir.toString(),
                ConfigKeys.BROKER_PORT, "0",
                ConfigKeys.CONTROLLER_PORT, "0",
                ConfigKeys.REGISTRY_PORT, "0",
                ConfigKeys.API_PORT, "0"));
        overrides.putAll(extra);
        return PulseConfig.load(Map.of(), Map.of(), overrides);
    }

    /** Event times advance 250 ms per event from three hours ago; the last event per tenant closes every earlier window. */
    private static List<GeneratedEvent> traffic(int count) {
        Instant base = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(3));
        TrafficMix mix = new TrafficMix(new RetailTrafficGenerator(TENANTS, SEED),
                new TrafficMix.Rates(0.04, 0.02, 0.02), Duration.ofMinutes(30), SEED);
        List<GeneratedEvent> events = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            events.add(mix.next(base.plusMillis(i * 250L)));
        }
        return events;
    }

    /** States of the application's transactional ids, counted. */
    private static Map<TransactionState, Long> transactionStates(Admin admin, String appId) throws ExecutionException, InterruptedException {
        return admin.listTransactions().all().get().stream()
                .filter(t -> t.transactionalId().startsWith(appId + "-"))
                .collect(Collectors.groupingBy(TransactionListing::state, TreeMap::new, Collectors.counting()));
    }

    /** What the 45 s session timeout would do after a SIGKILL: drop the dead member from the streams group. */
    private static void removeDeadMembers(Admin admin, String group) throws ExecutionException, InterruptedException {
        ConsumerGroupDescription description;
        try {
            description = admin.describeConsumerGroups(List.of(group)).describedGroups().get(group).get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof GroupIdNotFoundException) {
                return;
            }
            throw e;
        }
        if (!description.members().isEmpty()) {
            admin.removeMembersFromConsumerGroup(group, new RemoveMembersFromConsumerGroupOptions()).all().get();
        }
    }

    private static CompletableFuture<Void> all(List<? extends CompletableFuture<?>> futures) {
        return CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new));
    }

    /** Publishes events at a steady rate on its own thread; {@link #finish()} publishes the rest and waits for every ack. */
    private static final class PacedProducer {
        private static final long TICK_MS = 250;
        private final EventPublisher publisher;
        private final List<GeneratedEvent> events;
        private final int perTick;
        private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor();
        private final List<CompletableFuture<?>> acks = new ArrayList<>();
        private volatile int next;

        PacedProducer(EventPublisher publisher, List<GeneratedEvent> events, int perTick) {
            this.publisher = publisher;
            this.events = events;
            this.perTick = perTick;
            thread.scheduleAtFixedRate(() -> publish(perTick), 0, TICK_MS, TimeUnit.MILLISECONDS);
        }

        int published() {
            return next;
        }

        private void publish(int count) {
            int to = Math.min(events.size(), next + count);
            events.subList(next, to).forEach(e -> acks.add(publisher.publish(e.event())));
            next = to;
        }

        void finish() throws Exception {
            thread.submit(() -> publish(events.size())).get(60, TimeUnit.SECONDS);
            thread.shutdownNow();
            all(acks).get(60, TimeUnit.SECONDS);
        }
    }

    private record Child(int number, Process process, Path logFile) {
        String log() {
            return ChildJvm.log(logFile);
        }

        String logTail(int lines) {
            List<String> all = log().lines().toList();
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        }

        boolean assertAlive() {
            assertThat(process.isAlive()).as("streams child %d is running; its log:%n%s", number, process.isAlive() ? "" : log()).isTrue();
            return true;
        }
    }

    /** {@link StreamsChild} in its own JVM on the test's classpath, always on the same data (state) directory. */
    private record Launcher(EmbeddedInfrastructure infra, Map<String, String> settings, Path dataDir, Path logDir, List<Process> started) {
        Child start(int number) throws IOException {
            Path logFile = logDir.resolve("streams-child-" + number + ".log");
            List<String> args = new ArrayList<>(List.of(
                    ConfigKeys.KAFKA_BOOTSTRAP_SERVERS + "=" + infra.bootstrapServers(),
                    ConfigKeys.REGISTRY_URL + "=" + infra.registryUrl(),
                    ConfigKeys.DATA_DIR + "=" + dataDir));
            settings.forEach((k, v) -> args.add(k + "=" + v));
            Process process = ChildJvm.start(logFile, "384m", StreamsChild.class, args);
            started.add(process);
            return new Child(number, process, logFile);
        }
    }
}
