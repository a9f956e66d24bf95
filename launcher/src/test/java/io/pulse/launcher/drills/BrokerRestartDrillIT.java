package io.pulse.launcher.drills;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.pulse.avro.Envelope;
import io.pulse.common.config.ConfigKeys;
import io.pulse.common.config.PulseConfig;
import io.pulse.common.kafka.KafkaClientSettings;
import io.pulse.common.kafka.TopicProvisioner;
import io.pulse.common.serde.SerdeFactory;
import io.pulse.common.topics.TopicCatalogue;
import io.pulse.embedded.registry.EmbeddedSchemaRegistry;
import io.pulse.ingest.delivery.DeliverySettings;
import io.pulse.ingest.delivery.KafkaEventDelivery;
import io.pulse.ingest.delivery.SourceId;
import io.pulse.ingest.generator.RetailTrafficGenerator;
import io.pulse.launcher.ChildJvm;
import io.pulse.launcher.wiring.PulsePipeline;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fault drill: events are ingested through the real delivery path ({@link KafkaEventDelivery}: direct sends, the disk
 * outbox, the circuit breaker, transactions as configured for exactly_once_v2) by a source that hands over a batch,
 * waits for its future (as an HTTP client waits for its 202) and goes on, while the broker — the embedded broker in
 * its own JVM ({@link BrokerChild}) — is killed with SIGKILL and restarted repeatedly (same data directory and ports):
 * no controlled shutdown, no flush, open transactions and unacknowledged sends cut off. Afterwards every event whose
 * delivery was accepted is on the events topic for a read_committed reader, by event id: none lost.
 *
 * <p>CI size: 3 restarts; long mode ({@link DrillMode}): 12 restarts. The seed ({@code -Dpulse.drill.seed}) fixes
 * the events and the pauses.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class BrokerRestartDrillIT {
    private static final String TAG = "[broker-restart drill]";
    private static final long SEED = Long.getLong("pulse.drill.seed", 20_261_108L);
    private static final int BATCH = 50;
    /** The source's pace: one batch per this many ms at most (about 2,000 events/s), as a steady client load. */
    private static final long BATCH_EVERY_MS = 25;

    @TempDir
    Path dataDir;

    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
    }

    @Test
    void ciSized() throws Exception {
        drill(3);
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.MINUTES)
    void longMode() throws Exception {
        assumeTrue(DrillMode.isLong(), DrillMode.HOW_TO_ENABLE);
        drill(12);
    }

    private void drill(int restarts) throws Exception {
        Random random = new Random(SEED);
        PulseConfig config = StreamsKillDrillIT.config(dataDir, Map.of(ConfigKeys.GENERATOR_RATE, "0"));
        BrokerProcess broker = new BrokerProcess(dataDir.resolve("broker"), freePort(), freePort());
        toClose.add(broker::kill);
        broker.start();
        KafkaClientSettings clients = new KafkaClientSettings(
                new PulseConfig.Kafka(broker.bootstrapServers(), Optional.empty(), Optional.empty(), Optional.empty()));
        try (Admin admin = Admin.create(clients.admin("broker-restart-drill"))) {
            new TopicProvisioner(admin, (short) 1, Duration.ofSeconds(30)).ensure(TopicCatalogue.all());
        }
        EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.create(clients.common(), 0).start();
        toClose.add(registry);
        SerdeFactory serdes = PulsePipeline.registrySerdes(registry.url());
        // The pipeline's delivery settings, with a shorter delivery timeout and circuit so that outages switch to the outbox fast.
        DeliverySettings settings = DeliverySettings.from(config).withDeliveryTimeout(Duration.ofSeconds(5))
                .withCircuit(50, 5, Duration.ofSeconds(2));
        KafkaEventDelivery delivery = KafkaEventDelivery.create(clients, serdes, settings, new SimpleMeterRegistry());
        toClose.add(delivery);
        System.out.printf("%s seed %d: %d broker SIGKILLs and restarts during ingest through KafkaEventDelivery (transactional id %s, outbox %s)%n",
                TAG, SEED, restarts, settings.transactionalId().orElse("none"), settings.outboxDir());

        Source source = new Source(delivery, new RetailTrafficGenerator(List.of("contoso", "fabrikam", "northwind"), SEED));
        Thread sourceThread = new Thread(source, "broker-restart-drill-source");
        sourceThread.start();
        List<String> restartLog = new ArrayList<>();
        try {
            await("first batches accepted").atMost(Duration.ofSeconds(60)).until(() -> source.accepted.size() >= 500);
            for (int r = 1; r <= restarts; r++) {
                int up = 1_000 + random.nextInt(3_000);
                int down = 2_000 + random.nextInt(6_000);
                // The pauses are the injection: the source keeps delivering while the broker is up, then down.
                Thread.sleep(up);
                int before = source.accepted.size();
                broker.kill(); // SIGKILL
                Thread.sleep(down);
                int duringOutage = source.accepted.size() - before;
                broker.start();
                restartLog.add(String.format("restart %d: broker up %d ms, then SIGKILLed and down %d ms; %,d events accepted while it was down"
                        + " (outbox), %,d accepted so far", r, up, down, duringOutage, source.accepted.size()));
            }
            await("batches accepted after the last restart").atMost(Duration.ofMinutes(2)).until(() -> source.acceptedSinceMark() >= 500);
        } finally {
            source.stop.set(true);
            sourceThread.join(TimeUnit.MINUTES.toMillis(3));
        }
        restartLog.forEach(l -> System.out.println(TAG + "   " + l));
        assertThat(source.failure).as("the source's wait for a delivery").isNull();
        await("the outbox drains").atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(250))
                .until(() -> delivery.status().outboxEvents() == 0);

        // Read the events topic to its committed end.
        Set<String> onTopic = new HashSet<>();
        long records = 0;
        try (KafkaConsumer<String, Envelope> consumer = new KafkaConsumer<>(clients.consumer("broker-restart-drill-" + System.nanoTime(),
                "broker-restart-drill"), new StringDeserializer(), serdes.forValue(TopicCatalogue.EVENTS).deserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (int p = 0; p < TopicCatalogue.EVENTS.partitions(); p++) {
                partitions.add(new TopicPartition(TopicCatalogue.EVENTS.name(), p));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                assertThat(System.nanoTime()).as("events topic read to its end within 2 minutes").isLessThan(deadline);
                for (ConsumerRecord<String, Envelope> r : consumer.poll(Duration.ofMillis(200))) {
                    onTopic.add(r.value().getEventId());
                    records++;
                }
            }
        }
        Set<String> lost = new HashSet<>(source.accepted);
        lost.removeAll(onTopic);
        System.out.printf("%s injected: %d broker SIGKILL/restart cycles; %,d events accepted (%,d batches), %,d refused by the delivery path%n",
                TAG, restarts, source.accepted.size(), source.batches.get(), source.refused.get());
        System.out.printf("%s verified: %,d committed records on %s with %,d distinct event ids; accepted ids missing: %d;"
                        + " duplicates (re-sent after an unanswered send, removed by the topology's dedup): %,d%n",
                TAG, records, TopicCatalogue.EVENTS.name(), onTopic.size(), lost.size(), records - onTopic.size());
        assertThat(lost).as("accepted events not on the events topic").isEmpty();
        Set<String> handedOver = new HashSet<>(source.accepted);
        handedOver.addAll(source.refusedIds);
        Set<String> foreign = new HashSet<>(onTopic);
        foreign.removeAll(handedOver);
        assertThat(foreign).as("events on the topic the source never handed over").isEmpty();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** {@link BrokerChild} in its own JVM on the test's classpath, always on the same data directory and ports. */
    private static final class BrokerProcess {
        private final Path dataDir;
        private final int brokerPort;
        private final int controllerPort;
        private Process process;
        private Path logFile;
        private int starts;

        BrokerProcess(Path dataDir, int brokerPort, int controllerPort) {
            this.dataDir = dataDir;
            this.brokerPort = brokerPort;
            this.controllerPort = controllerPort;
        }

        String bootstrapServers() {
            return "localhost:" + brokerPort;
        }

        void start() throws IOException {
            logFile = dataDir.resolveSibling("broker-child-" + (++starts) + ".log");
            process = ChildJvm.start(logFile, "512m", BrokerChild.class,
                    List.of(dataDir.toString(), Integer.toString(brokerPort), Integer.toString(controllerPort)));
            Process started = process;
            await("broker child " + starts + " serves clients").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(100))
                    .until(() -> {
                        String log = ChildJvm.log(logFile);
                        assertThat(started.isAlive()).as("broker child %d is running; its log:%n%s", starts, log).isTrue();
                        return log.contains(BrokerChild.STARTED);
                    });
        }

        void kill() throws InterruptedException {
            if (process != null && process.isAlive()) {
                process.destroyForcibly(); // SIGKILL
                assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("broker child %d dies after SIGKILL", starts).isTrue();
            }
        }
    }

    /** Hands over a batch, waits for its future, goes on: as an HTTP client waiting for its 202 before the next request. */
    private static final class Source implements Runnable {
        private final KafkaEventDelivery delivery;
        private final RetailTrafficGenerator generator;
        final Set<String> accepted = java.util.concurrent.ConcurrentHashMap.newKeySet();
        final Set<String> refusedIds = java.util.concurrent.ConcurrentHashMap.newKeySet();
        final AtomicInteger batches = new AtomicInteger();
        final AtomicInteger refused = new AtomicInteger();
        final AtomicBoolean stop = new AtomicBoolean();
        volatile Throwable failure;
        private volatile int mark = -1;

        Source(KafkaEventDelivery delivery, RetailTrafficGenerator generator) {
            this.delivery = delivery;
            this.generator = generator;
        }

        int acceptedSinceMark() {
            if (mark < 0) {
                mark = accepted.size();
            }
            return accepted.size() - mark;
        }

        @Override
        public void run() {
            try {
                long next = System.nanoTime();
                while (!stop.get()) {
                    next += TimeUnit.MILLISECONDS.toNanos(BATCH_EVERY_MS);
                    java.util.concurrent.locks.LockSupport.parkNanos(next - System.nanoTime()); // pacing of the load, not a wait for a condition
                    List<Envelope> batch = new ArrayList<>();
                    for (int i = 0; i < BATCH; i++) {
                        batch.add(generator.next(Instant.now()));
                    }
                    CompletableFuture<Void> done = delivery.deliver(new SourceId("drill", "broker-restart"), batch);
                    try {
                        done.get(2, TimeUnit.MINUTES);
                        batch.forEach(e -> accepted.add(e.getEventId()));
                    } catch (ExecutionException e) {
                        refused.addAndGet(batch.size());
                        batch.forEach(ev -> refusedIds.add(ev.getEventId()));
                    }
                    batches.incrementAndGet();
                }
            } catch (InterruptedException | TimeoutException | RuntimeException e) {
                failure = e;
            }
        }
    }
}
