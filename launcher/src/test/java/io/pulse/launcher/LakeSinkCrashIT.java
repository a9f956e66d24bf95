package io.pulse.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pulse.avro.Envelope;
import io.pulse.common.config.ConfigKeys;
import io.pulse.common.config.PulseConfig;
import io.pulse.common.topics.TopicCatalogue;
import io.pulse.ingest.delivery.EventPublisher;
import io.pulse.ingest.generator.RetailTrafficGenerator;
import io.pulse.lake.LakeSink;
import io.pulse.launcher.wiring.EmbeddedInfrastructure;
import io.pulse.launcher.wiring.PulsePipeline;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.BasicFileAttributes;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.RemoveMembersFromConsumerGroupOptions;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The crash drill: {@code pulse lake sink} runs as a real child process and is killed with SIGKILL at random
 * moments, many times, while events are still being produced; a final child drains the topic and is stopped
 * with SIGTERM. Afterwards the lake holds every event exactly once, and readers never saw a temporary file.
 *
 * <p>The seed ({@code -Dpulse.crash.seed=...}) fixes the events and the kill schedule; the test prints both,
 * and what it verified.
 *
 * <p>A SIGKILLed consumer stays in its group until its session times out (45 s by default), holding its
 * partitions. Instead of waiting that long after every kill, the drill removes the dead member with the admin
 * client, as the session timeout would: the sink's recovery does not depend on how the group notices.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class LakeSinkCrashIT {
    private static final List<String> TENANTS = List.of("contoso", "fabrikam", "northwind");
    private static final long SEED = Long.getLong("pulse.crash.seed", 20_261_121L);
    private static final int EVENTS = 20_000;
    /** Published before the first child starts, so that it has a backlog; the rest goes out during the kills. */
    private static final int UPFRONT = 6_000;
    private static final int KILLS = 12;
    /** Every third kill waits for a commit in progress (see {@link CommitWatch}); the others land wherever the pause ends. */
    private static final int ON_COMMIT_EVERY = 3;
    private static final int MIN_PAUSE_MS = 500;
    private static final int MAX_PAUSE_MS = 4_000;
    /** Small batches and a short flush interval: the sink commits many times a second, so kills land mid-commit. */
    private static final int MAX_RECORDS_PER_FILE = 300;
    private static final String FLUSH_INTERVAL = "500ms";
    private static final Pattern FINAL_NAME = Pattern.compile(Pattern.quote(TopicCatalogue.EVENTS.name()) + "\\+\\d+\\+\\d+\\+\\d+\\.parquet");

    @TempDir
    Path dataDir;
    @TempDir
    Path logDir;

    private final List<Process> children = new ArrayList<>();

    @AfterEach
    void killChildren() {
        children.forEach(Process::destroyForcibly);
    }

    @Test
    void countsEachEventOnceAfterRepeatedKills() throws Exception {
        System.out.printf("[crash drill] seed %d (-Dpulse.crash.seed=%d to repeat): %,d events, %d kills %d-%d ms apart%n",
                SEED, SEED, EVENTS, KILLS, MIN_PAUSE_MS, MAX_PAUSE_MS);
        Random random = new Random(SEED);
        PulseConfig config = LocalPulse.config(dataDir, Map.of());
        Path lake = config.lake().dir();
        List<Envelope> events = generate(random);

        PacedProducer producer = null;
        try (EmbeddedInfrastructure infra = EmbeddedInfrastructure.start(config);
             Admin admin = Admin.create(infra.clients().admin("lake-sink-crash-it"));
             EventPublisher publisher = new EventPublisher(infra.clients(),
                     PulsePipeline.registrySerdes(infra.registryUrl()).forValue(TopicCatalogue.EVENTS).serializer(), "lake-sink-crash-it")) {
            SinkChild.Launcher launcher = new SinkChild.Launcher(infra, lake, logDir);
            all(events.subList(0, UPFRONT).stream().map(publisher::publish).toList()).get(60, TimeUnit.SECONDS);
            producer = new PacedProducer(publisher, events.subList(UPFRONT, EVENTS));

            long drillStart = System.nanoTime();
            List<Kill> kills = new ArrayList<>();
            for (int k = 1; k <= KILLS; k++) {
                kills.add(killAtRandom(launcher.start(k, children), random, drillStart, admin, lake, k % ON_COMMIT_EVERY == 0));
            }
            long drillMs = millis(drillStart, System.nanoTime());
            int producedDuringDrill = producer.finish();

            SinkChild last = launcher.start(KILLS + 1, children);
            await("lag of group " + LakeSink.GROUP_ID + " on " + TopicCatalogue.EVENTS.name() + " reaches 0")
                    .atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(250))
                    .until(() -> last.assertAlive() && ownsAllPartitions(admin) && lag(admin) == 0);
            last.process().destroy(); // SIGTERM: commit open batches and leave
            assertThat(last.process().waitFor(90, TimeUnit.SECONDS)).as("final sink stops within 90 s of SIGTERM").isTrue();
            assertThat(last.process().exitValue()).as("exit code of the final sink after SIGTERM (143 = 128 + SIGTERM)").isIn(0, 143);
            assertThat(last.log()).as("log of the final sink").contains("Lake sink stopped cleanly");
            report(kills, drillMs, producedDuringDrill, launcher);

            verifyLake(lake, events, kills);
        } finally {
            if (producer != null) {
                producer.close();
            }
        }
    }

    /**
     * Waits until {@code child} commits to the lake, lets it run for a random pause, SIGKILLs it and checks what readers
     * see. With {@code onCommit}, the kill waits after the pause for the next batch file to appear under its final name,
     * so that it lands inside a commit: between a batch's renames, or before its offset commit.
     */
    private static Kill killAtRandom(SinkChild child, Random random, long drillStart, Admin admin, Path lake, boolean onCommit)
            throws Exception {
        int committedBefore = LakeScan.committed(lake).size();
        await("sink child " + child.number() + " commits a file").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                .until(() -> child.assertAlive() && (LakeScan.committed(lake).size() > committedBefore || lag(admin) == 0));
        long working = System.nanoTime();
        int pause = MIN_PAUSE_MS + random.nextInt(MAX_PAUSE_MS - MIN_PAUSE_MS + 1);
        // The random pause is the injection itself; a child that exits during it failed on its own.
        assertThat(child.process().waitFor(pause, TimeUnit.MILLISECONDS)).as("sink child %d exited by itself:%n%s", child.number(), child.log())
                .isFalse();
        if (onCommit) {
            try (CommitWatch commits = new CommitWatch(lake.resolve("events"))) {
                commits.awaitNextFinalFile(Duration.ofSeconds(10));
                child.process().destroyForcibly();
            }
        } else {
            child.process().destroyForcibly();
        }
        assertThat(child.process().waitFor(30, TimeUnit.SECONDS)).as("sink child %d dies after SIGKILL", child.number()).isTrue();
        long killed = System.nanoTime();
        removeDeadMembers(admin);

        // Right after the kill, with the killed writer's temporaries still on disk, readers must see only whole batches.
        List<Path> temporaries = LakeScan.temporaries(lake);
        LakeStats visible = LakeStats.of(lake);
        assertThat(visible.rows()).as("rows visible after kill %d each hold a different event", child.number()).isEqualTo(visible.distinctEventIds());
        assertThat(visible.files()).as("files a **/*.parquet glob sees after kill %d", child.number())
                .allSatisfy(f -> assertThat(Path.of(f).getFileName().toString()).matches(FINAL_NAME));
        return new Kill(child.number(), onCommit ? "on-commit" : "random", millis(drillStart, killed), millis(child.startedAt(), killed), millis(working, killed), pause,
                temporaries.size(), visible.rows());
    }

    private static void verifyLake(Path lake, List<Envelope> events, List<Kill> kills) throws Exception {
        LakeStats stats = LakeStats.of(lake);
        Set<String> expectedIds = new HashSet<>();
        Map<String, Long> expectedPerTenant = new TreeMap<>();
        events.forEach(e -> {
            expectedIds.add(e.getEventId());
            expectedPerTenant.merge(e.getTenant(), 1L, Long::sum);
        });
        assertThat(expectedIds).as("the input's event ids are unique").hasSize(EVENTS);

        assertThat(stats.rows()).as("rows in events").isEqualTo(EVENTS);
        assertThat(stats.distinctEventIds()).as("distinct event_id in events").isEqualTo(EVENTS);
        assertThat(stats.eventIds()).as("event ids in the lake are exactly the produced ones").isEqualTo(expectedIds);
        assertThat(stats.rowsPerTenant()).as("rows per tenant= directory").isEqualTo(expectedPerTenant);
        assertThat(stats.files()).as("files visible to a **/*.parquet glob").isNotEmpty()
                .allSatisfy(f -> assertThat(Path.of(f).getFileName().toString()).matches(FINAL_NAME));
        assertThat(LakeScan.temporaries(lake)).as("temporary files anywhere under the lake after the clean stop").isEmpty();
        // The drill injected what it claims: kills caught the sink with files half written.
        assertThat(kills).as("kills that left temporary files behind").anyMatch(k -> k.temporariesLeft() > 0);

        System.out.printf("[crash drill] verified with DuckDB over %s: %,d rows, %,d distinct event_id, the produced ids exactly,"
                        + " per tenant %s; %,d committed files, all with final names; no .tmp file left under the lake%n",
                lake, stats.rows(), stats.distinctEventIds(), stats.rowsPerTenant(), stats.files().size());
    }

    private static void report(List<Kill> kills, long drillMs, int producedDuringDrill, SinkChild.Launcher launcher) {
        System.out.printf("[crash drill] %d SIGKILLs in %.1f s, while %,d events were produced (the rest of the %,d right after):%n",
                kills.size(), drillMs / 1000.0, producedDuringDrill, EVENTS - UPFRONT);
        System.out.println("[crash drill]   kill  mode       at(ms)  child-age(ms)  after-first-commit(ms)  pause(ms)  temporaries-left"
                + "  rows-visible  batches-replayed-by-next");
        kills.forEach(k -> System.out.printf("[crash drill]   %4d  %-9s  %6d  %13d  %22d  %9d  %16d  %12d  %24s%n",
                k.number(), k.mode(), k.atMs(), k.childAgeMs(), k.afterWorkingMs(), k.pauseMs(), k.temporariesLeft(), k.rowsVisible(),
                launcher.replaysLogged(k.number() + 1)));
    }

    /** N events over six hours of event time, in order but for one in ten that is up to three hours late. */
    private static List<Envelope> generate(Random random) {
        RetailTrafficGenerator generator = new RetailTrafficGenerator(TENANTS, SEED);
        Instant base = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(7));
        long step = Duration.ofHours(6).toMillis() / EVENTS;
        List<Envelope> events = new ArrayList<>();
        for (int i = 0; i < EVENTS; i++) {
            long late = random.nextInt(10) == 0 ? random.nextLong(Duration.ofHours(3).toMillis()) : 0;
            events.add(generator.next(base.plusMillis(Math.max(0, i * step - late))));
        }
        return events;
    }

    /**
     * Publishes events at a steady rate on its own thread, so that the producer is still producing while the
     * sink is killed; {@link #finish()} publishes what is left at once.
     */
    private static final class PacedProducer {
        private static final int PER_TICK = 75;
        private static final Duration TICK = Duration.ofMillis(500);

        private final EventPublisher publisher;
        private final List<Envelope> events;
        private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor();
        private final List<CompletableFuture<?>> acks = new ArrayList<>();
        private int next;
        private int pacedCount;

        PacedProducer(EventPublisher publisher, List<Envelope> events) {
            this.publisher = publisher;
            this.events = events;
            thread.scheduleAtFixedRate(() -> publish(PER_TICK), 0, TICK.toMillis(), TimeUnit.MILLISECONDS);
        }

        private void publish(int count) {
            int to = Math.min(events.size(), next + count);
            events.subList(next, to).forEach(e -> acks.add(publisher.publish(e)));
            next = to;
        }

        /** Publishes the rest (on the producer's thread, after its last tick) and waits for every acknowledgement. */
        int finish() throws Exception {
            thread.submit(() -> {
                pacedCount = next;
                publish(events.size());
            }).get(30, TimeUnit.SECONDS);
            thread.shutdownNow();
            all(acks).get(60, TimeUnit.SECONDS);
            return pacedCount;
        }

        void close() {
            thread.shutdownNow();
        }
    }

    private static CompletableFuture<Void> all(List<? extends CompletableFuture<?>> futures) {
        return CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new));
    }

    /** Records of the events topic the sink's group has not committed yet. */
    private static long lag(Admin admin) throws ExecutionException, InterruptedException {
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(LakeSink.GROUP_ID)
                .partitionsToOffsetAndMetadata().get();
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        IntStream.range(0, TopicCatalogue.EVENTS.partitions())
                .forEach(p -> latest.put(new TopicPartition(TopicCatalogue.EVENTS.name(), p), OffsetSpec.latest()));
        long lag = 0;
        for (var end : admin.listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all().get().entrySet()) {
            OffsetAndMetadata c = committed.get(end.getKey());
            lag += end.getValue().offset() - (c == null ? 0 : c.offset());
        }
        return lag;
    }

    /**
     * Whether one member of the group holds every partition of the events topic: then it has also run its
     * recovery (which deletes the temporaries crashed owners left), in the same poll that received the assignment.
     */
    private static boolean ownsAllPartitions(Admin admin) throws ExecutionException, InterruptedException {
        ConsumerGroupDescription group = admin.describeConsumerGroups(List.of(LakeSink.GROUP_ID)).describedGroups()
                .get(LakeSink.GROUP_ID).get();
        return group.members().size() == 1 && group.members().iterator().next().assignment().topicPartitions().stream()
                .filter(tp -> tp.topic().equals(TopicCatalogue.EVENTS.name())).count() == TopicCatalogue.EVENTS.partitions();
    }

    /** What the 45 s session timeout would do after a SIGKILL: drop the dead consumer from the group. */
    private static void removeDeadMembers(Admin admin) throws ExecutionException, InterruptedException {
        ConsumerGroupDescription group;
        try {
            group = admin.describeConsumerGroups(List.of(LakeSink.GROUP_ID)).describedGroups().get(LakeSink.GROUP_ID).get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof GroupIdNotFoundException) {
                return; // killed before it ever joined
            }
            throw e;
        }
        if (!group.members().isEmpty()) {
            admin.removeMembersFromConsumerGroup(LakeSink.GROUP_ID, new RemoveMembersFromConsumerGroupOptions()).all().get();
        }
    }

    private static long millis(long fromNanos, long toNanos) {
        return TimeUnit.NANOSECONDS.toMillis(toNanos - fromNanos);
    }

    /** One injected fault: when, how long after the child started and after it first committed, what it left. */
    private record Kill(int number, String mode, long atMs, long childAgeMs, long afterWorkingMs, int pauseMs, int temporariesLeft, long rowsVisible) {
    }

    /** {@code pulse lake sink} in its own JVM, on the test's classpath, with its output in a log file. */
    private record SinkChild(int number, Process process, Path logFile, long startedAt) {
        String log() {
            return ChildJvm.log(logFile);
        }

        /** True, or fails with the child's log if it exited on its own. */
        boolean assertAlive() {
            assertThat(process.isAlive()).as("sink child %d is running (exit code %s); its log:%n%s", number,
                    process.isAlive() ? "-" : process.exitValue(), log()).isTrue();
            return true;
        }

        record Launcher(EmbeddedInfrastructure infra, Path lake, Path logDir) {
            /**
             * How many interrupted batches child {@code number} replayed on start (kills that landed between a batch's
             * first rename and its offset commit), as its log tells; for the report only.
             */
            String replaysLogged(int number) {
                try (Stream<String> lines = Files.lines(logDir.resolve("lake-sink-" + number + ".log"))) {
                    return Long.toString(lines.filter(l -> l.contains("replaying lake batch")).count());
                } catch (IOException e) {
                    return "?";
                }
            }

            SinkChild start(int number, List<Process> started) throws IOException {
                Path logFile = logDir.resolve("lake-sink-" + number + ".log");
                Process process = ChildJvm.start(logFile, "256m", PulseCommand.class, List.of("lake", "sink",
                        "--set", ConfigKeys.KAFKA_BOOTSTRAP_SERVERS + "=" + infra.bootstrapServers(),
                        "--set", ConfigKeys.REGISTRY_URL + "=" + infra.registryUrl(),
                        "--set", ConfigKeys.LAKE_DIR + "=" + lake,
                        "--set", ConfigKeys.LAKE_MAX_RECORDS_PER_FILE + "=" + MAX_RECORDS_PER_FILE,
                        "--set", ConfigKeys.LAKE_FLUSH_INTERVAL + "=" + FLUSH_INTERVAL));
                started.add(process);
                return new SinkChild(number, process, logFile, System.nanoTime());
            }
        }
    }

    /**
     * Notices, through the file system's change notifications (inotify on Linux), the moment a batch file appears
     * under its final name: the sink is then inside a commit, with more renames or the offset commit still to come.
     */
    private static final class CommitWatch implements AutoCloseable {
        private final WatchService watch;
        private final Map<WatchKey, Path> directories = new HashMap<>();

        CommitWatch(Path dataset) throws IOException {
            this.watch = dataset.getFileSystem().newWatchService();
            registerTree(dataset);
        }

        /** Returns when a file with a final batch name is created anywhere under the dataset; fails after {@code timeout}. */
        void awaitNextFinalFile(Duration timeout) throws IOException, InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                WatchKey key = watch.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                assertThat(key).as("a batch file committed within %s", timeout).isNotNull();
                Path dir = directories.get(key);
                for (WatchEvent<?> event : key.pollEvents()) {
                    if (event.kind() == StandardWatchEventKinds.OVERFLOW || dir == null) {
                        continue;
                    }
                    Path created = dir.resolve((Path) event.context());
                    if (FINAL_NAME.matcher(created.getFileName().toString()).matches()) {
                        return;
                    }
                    if (Files.isDirectory(created)) {
                        registerTree(created); // a new tenant/date/hour directory
                    }
                }
                key.reset();
            }
        }

        private void registerTree(Path root) throws IOException {
            try (Stream<Path> dirs = Files.walk(root)) {
                for (Path dir : dirs.filter(Files::isDirectory).toList()) {
                    directories.put(dir.register(watch, StandardWatchEventKinds.ENTRY_CREATE), dir);
                }
            }
        }

        @Override
        public void close() throws IOException {
            watch.close();
        }
    }

    /** The lake's files on disk, tolerating files that a running sink renames or deletes during the walk. */
    private static final class LakeScan {
        static List<Path> committed(Path lake) {
            return walk(lake, name -> name.endsWith(".parquet") && !name.startsWith("."));
        }

        static List<Path> temporaries(Path lake) {
            return walk(lake, name -> name.endsWith(".tmp"));
        }

        private static List<Path> walk(Path lake, Predicate<String> name) {
            List<Path> found = new ArrayList<>();
            if (!Files.isDirectory(lake)) {
                return found;
            }
            try {
                Files.walkFileTree(lake, new SimpleFileVisitor<>() {
                    @Override
                    public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                        if (name.test(file.getFileName().toString())) {
                            found.add(file);
                        }
                        return FileVisitResult.CONTINUE;
                    }

                    @Override
                    public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                        if (e instanceof NoSuchFileException) {
                            return FileVisitResult.CONTINUE;
                        }
                        throw e;
                    }
                });
            } catch (IOException e) {
                throw new UncheckedIOException("cannot walk the lake " + lake, e);
            }
            return found;
        }
    }

    /** The events dataset as an analyst's DuckDB sees it: a {@code **}{@code /*.parquet} glob, Hive partitions, schema union. */
    private record LakeStats(long rows, long distinctEventIds, Set<String> eventIds, Map<String, Long> rowsPerTenant, List<String> files) {
        static LakeStats of(Path lake) throws SQLException {
            String glob = lake.resolve("events") + "/**/*.parquet";
            try (Connection duck = DriverManager.getConnection("jdbc:duckdb:"); Statement sql = duck.createStatement()) {
                List<String> files = new ArrayList<>();
                try (ResultSet rs = sql.executeQuery("SELECT file FROM glob('" + glob + "')")) {
                    while (rs.next()) {
                        files.add(rs.getString(1));
                    }
                }
                if (files.isEmpty()) {
                    return new LakeStats(0, 0, Set.of(), Map.of(), files);
                }
                String events = "read_parquet('" + glob + "', hive_partitioning = true, union_by_name = true)";
                long rows;
                long distinct;
                try (ResultSet rs = sql.executeQuery("SELECT count(*), count(DISTINCT event_id) FROM " + events)) {
                    rs.next();
                    rows = rs.getLong(1);
                    distinct = rs.getLong(2);
                }
                Set<String> ids = new HashSet<>();
                try (ResultSet rs = sql.executeQuery("SELECT event_id FROM " + events)) {
                    while (rs.next()) {
                        ids.add(rs.getString(1));
                    }
                }
                Map<String, Long> perTenant = new TreeMap<>();
                try (ResultSet rs = sql.executeQuery("SELECT tenant, count(*) FROM " + events + " GROUP BY tenant")) {
                    while (rs.next()) {
                        perTenant.put(rs.getString(1), rs.getLong(2));
                    }
                }
                return new LakeStats(rows, distinct, ids, perTenant, files);
            }
        }
    }
}
