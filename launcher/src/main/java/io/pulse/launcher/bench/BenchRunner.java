package io.pulse.launcher.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pulse.avro.Envelope;
import io.pulse.common.config.ConfigKeys;
import io.pulse.common.config.PulseConfig;
import io.pulse.common.topics.EventKeys;
import io.pulse.common.topics.TopicCatalogue;
import io.pulse.ingest.delivery.EventPublisher;
import io.pulse.ingest.generator.RetailTrafficGenerator;
import io.pulse.lake.LakeSink;
import io.pulse.launcher.wiring.EmbeddedInfrastructure;
import io.pulse.launcher.wiring.PulsePipeline;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
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
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Runs the bench: the broker's ceiling, then the real pipeline (PulsePipeline on EmbeddedInfrastructure) under load
 * from the retail generator, stage by stage, into a {@link BenchReport}.
 */
public final class BenchRunner {
    /** Tenant whose only events are the freshness markers, so its count tells exactly when a marker is visible. */
    public static final String MARKER_TENANT = "bench-marker";
    static final String RAW_TOPIC = "pulse-bench-raw";
    /** Topology lag at which the saturating publisher pauses: enough work queued, a backlog that drains in seconds. */
    private static final long LAG_CAP = 20_000;
    /**
     * The backlog the saturating probe keeps in front of the topology: always more than a poll's worth of every
     * partition, so the topology never waits for input. (A backlog of two seconds of the rate seen so far, as before,
     * starved exactly_once_v2: its committed offsets advance in commit-sized steps, so the probe measured its own
     * pauses — 39 records/s where draining a 20,000-event backlog ran at 279.)
     */
    private static final long PROBE_BACKLOG = 5_000;
    /** Topology lag below which a stage counts as starting from a drained pipeline. */
    private static final long DRAINED = 100;
    /** How long a stage waits for the backlog of the one before it to drain. */
    private static final Duration DRAIN_WAIT = Duration.ofSeconds(120);
    private static final int API_WORKERS = 4;

    /** What the command asks for. */
    public record Options(Duration stageDuration, OptionalInt recordSize) { }

    private final Function<Map<String, String>, PulseConfig> configWith;
    private final Options options;
    private final Progress progress;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ObjectMapper json = new ObjectMapper();
    private final List<Long> heapSamples = Collections.synchronizedList(new ArrayList<>());

    /** @param configWith the bench's configuration with extra keys on top (the guarantee of the comparison runs) */
    public BenchRunner(Function<Map<String, String>, PulseConfig> configWith, Options options, PrintStream err) {
        this.configWith = configWith;
        this.options = options;
        // ceiling 2 stages, probe, verify (x2 worst case), freshness, API, comparison probe, plus start-ups and drains
        this.progress = new Progress(err, options.stageDuration().multipliedBy(8).plusSeconds(60));
    }

    public BenchReport run() throws Exception {
        Instant started = Instant.now();
        long t0 = System.nanoTime();
        BenchReport report = new BenchReport(started);
        PulseConfig config = configWith.apply(Map.of());
        Duration d = options.stageDuration();
        report.setting("machine", Runtime.getRuntime().availableProcessors() + " cores, max heap "
                + (Runtime.getRuntime().maxMemory() >> 20) + " MiB, Java " + Runtime.version());
        report.setting("duration per stage", d.toSeconds() + " s");
        report.setting("processing guarantee (main run)", config.streams().guarantee().streamsValue());
        report.setting("commit interval", config.streams().commitInterval().toMillis() + " ms");
        report.setting("lake flush interval", config.lake().flushInterval().toSeconds() + " s");
        report.setting("data dir", config.dataDir());

        progress.stage("starting broker+pipeline", Duration.ofSeconds(20));
        try (EmbeddedInfrastructure infra = EmbeddedInfrastructure.start(config);
             Admin admin = Admin.create(infra.clients().admin("pulse-bench"))) {
            PulsePipeline pipeline = PulsePipeline.start(config, infra.clients(), infra.registryUrl());
            try {
                awaitReady(pipeline, Duration.ofSeconds(120));
                Serializer<Envelope> serializer = pipeline.serdes().forValue(TopicCatalogue.EVENTS).serializer();
                List<String> loadTenants = config.generator().tenants().stream().filter(t -> !t.equals(MARKER_TENANT)).toList();

                // Sample records: the generator's envelopes, serialized as the pipeline serializes them.
                RetailTrafficGenerator sampleGen = new RetailTrafficGenerator(loadTenants, 7);
                List<byte[]> keys = new ArrayList<>();
                List<byte[]> values = new ArrayList<>();
                Instant now = Instant.now();
                for (int i = 0; i < 2000; i++) {
                    Envelope e = sampleGen.next(now);
                    keys.add(EventKeys.of(e).getBytes(StandardCharsets.UTF_8));
                    values.add(serializer.serialize(TopicCatalogue.EVENTS.name(), e));
                }
                double envelopeBytes = values.stream().mapToInt(v -> v.length).average().orElse(0);
                int recordSize = options.recordSize().orElse((int) Math.round(envelopeBytes));
                if (options.recordSize().isPresent()) {
                    Random r = new Random(1);
                    values.replaceAll(v -> {
                        byte[] b = new byte[recordSize];
                        r.nextBytes(b);
                        return b;
                    });
                }
                report.setting("record size", recordSize + " B" + (options.recordSize().isPresent()
                        ? " (raw ceiling; the pipeline publishes real envelopes of " + Math.round(envelopeBytes) + " B)"
                        : " (mean serialized envelope, Avro with the registry's schema id)"));

                // 1. The ceiling: the broker alone, same record size and producer settings.
                admin.createTopics(List.of(new NewTopic(RAW_TOPIC, TopicCatalogue.EVENTS.partitions(), (short) 1))).all().get(30, TimeUnit.SECONDS);
                double[] producer = rawProducer(infra, keys, values, d);
                double[] consumer = rawConsumer(infra, (long) producer[1], d);
                double ceiling = Math.min(producer[0], consumer[0]);
                admin.deleteTopics(List.of(RAW_TOPIC)).all().get(30, TimeUnit.SECONDS);
                String cpu = "CPU (2 cores shared by broker, client and the other stages' idle threads)";
                report.addThroughput("ceiling", "raw producer", producer[0], "records/s", ceiling,
                        "single producer, acks=all, idempotence, compression none; " + cpu);
                report.add("ceiling", "raw producer bandwidth", producer[0] * recordSize / 1e6, "MB/s", "as above");
                report.addThroughput("ceiling", "raw consumer", consumer[0], "records/s", ceiling,
                        "single consumer, read_committed; " + cpu);

                String topologyGroup = config.streams().applicationId();
                EventPublisher eventPublisher = new EventPublisher(infra.clients(), serializer, "pulse-bench-load");
                try (GroupOffsets offsets = new GroupOffsets(admin, topologyGroup, LakeSink.GROUP_ID);
                     LoadPublisher load = new LoadPublisher(eventPublisher, new RetailTrafficGenerator(loadTenants, 20261121L))) {

                    // 2. Capacity probe: as fast as the pipeline takes it (the publisher pauses while topology lag > cap).
                    Probe eos = probe("pipeline saturated", d, load, offsets);
                    double candidate = 0.9 * Math.min(eos.topologyRate, eos.lakeRate > 0 ? eos.lakeRate : eos.topologyRate);
                    awaitDrained(offsets, DRAIN_WAIT);

                    // 3. Verify: offered at the candidate rate, lag must stay flat; one step down if it does not.
                    Verify sustained = verify("pipeline sustained", candidate, d, load, offsets, config);
                    if (!sustained.flat) {
                        awaitDrained(offsets, DRAIN_WAIT);
                        sustained = verify("pipeline sustained (x0.75)", candidate * 0.75, d, load, offsets, config);
                    }
                    report.addThroughput("pipeline", "sustained throughput (lag flat)", sustained.achieved, "records/s", ceiling,
                            sustained.flat ? "processing capacity of the topology (saturated probe: " + Math.round(eos.topologyRate)
                                    + " records/s), offered at 90% of it; " + cpu
                                    : "lag still grew at this rate (" + sustained.lagGrowth + " records over the stage): not flat, reported anyway");
                    report.addThroughput("pipeline", "saturated topology rate (probe)", eos.topologyRate, "records/s", ceiling,
                            "topology consumption with a backlog of " + PROBE_BACKLOG + " records always in front of it");
                    report.add("pipeline", "topology lag at end of sustained stage", sustained.endLag, "records",
                            "a commit interval of records is always in flight");
                    report.addThroughput("guarantees", config.streams().guarantee().streamsValue() + " (probe)", eos.topologyRate, "records/s",
                            ceiling, "transaction commit every " + config.streams().commitInterval().toMillis() + " ms + CPU");

                    // 4. Lake sink, measured over the saturated probe.
                    report.addThroughput("lake", "lake sink records/s (probe)", eos.lakeRate, "records/s", ceiling,
                            eos.lakeBehind ? "the lake sink itself: its lag grew while the topology kept up (Parquet encoding, CPU)"
                                    : "its input: the sink kept up with what was published (offsets commit per flush, so +-1 flush interval over the window)");
                    report.add("lake", "lake sink input MB/s (Avro)", eos.lakeRate * envelopeBytes / 1e6, "MB/s",
                            "records/s x mean envelope size");

                    // 5. Freshness and 6. API, each at half the sustained rate; memory sampled throughout.
                    double half = (sustained.achieved > 0 ? sustained.achieved : eos.topologyRate) / 2;
                    long backlog = awaitDrained(offsets, DRAIN_WAIT);
                    double[] fresh = freshness(pipeline, infra, serializer, half, d, load, config);
                    report.add("freshness", "event time -> visible in API, p50", fresh[0], "ms", "processing + 10 ms poll (queries read the local"
                            + " store before the commit); at " + Math.round(half) + " records/s"
                            + (backlog >= DRAINED ? "; STARTED BEHIND: " + backlog + " records of earlier load not yet processed" : ""));
                    report.add("freshness", "p99", fresh[1], "ms", "backlog when CPU is short (GC, neighbours), processing");
                    report.add("freshness", "max", fresh[2], "ms", "as above; " + (int) fresh[3] + " markers, " + (int) fresh[4] + " not visible within 60 s");
                    double[] api = apiLoad(pipeline, loadTenants, half, d, load);
                    report.add("api", "metric queries", api[0], "requests/s", API_WORKERS + " concurrent clients, CPU shared with the pipeline at "
                            + Math.round(half) + " records/s; " + (long) api[2] + " non-200 answers");
                    report.add("api", "p99 latency", api[1], "ms", "store scans of minute windows, JSON rendering, CPU");
                    memory(report, config);
                    load.offer(0);
                    awaitDrained(offsets, DRAIN_WAIT);

                    // 7. The other guarantee: restart on the same state with at_least_once, same probe.
                    progress.stage("restart at_least_once", Duration.ofSeconds(20));
                    pipeline.close();
                    pipeline = null;
                    PulseConfig alosConfig = configWith.apply(Map.of(ConfigKeys.STREAMS_GUARANTEE, "at_least_once"));
                    pipeline = PulsePipeline.start(alosConfig, infra.clients(), infra.registryUrl());
                    awaitReady(pipeline, Duration.ofSeconds(120));
                    Probe alos = probe("at_least_once saturated", d, load, offsets);
                    load.offer(0);
                    report.addThroughput("guarantees", "at_least_once (probe)", alos.topologyRate, "records/s", ceiling,
                            "offset commit every " + alosConfig.streams().commitInterval().toMillis() + " ms + CPU");
                    report.add("guarantees", "exactly_once_v2 / at_least_once", BenchReport.ratio(eos.topologyRate, alos.topologyRate).orElse(Double.NaN),
                            "x", "cost of transactions (begin/commit markers, read_committed)");
                    awaitDrained(offsets, DRAIN_WAIT);
                    report.note("Published " + load.acked() + " events in all (" + load.failed() + " failed).");
                }
            } finally {
                if (pipeline != null) {
                    progress.stage("stopping (commits lake files)", Duration.ofSeconds(10));
                    pipeline.close();
                }
            }
            lakeFiles(report, config);
        }
        progress.done();
        report.note("Sustained rate: a saturating probe measures how fast the topology's committed offsets advance while the publisher "
                + "keeps a backlog of " + PROBE_BACKLOG + " records in front of it, then the load is offered at 90% of that and the topology group's lag must "
                + "not grow by more than a second of load over the stage (else one step at 75%).");
        report.note("Load and pipeline share the JVM and the machine's cores with the broker: every number includes that contention.");
        report.finish(Duration.ofNanos(System.nanoTime() - t0));
        return report;
    }

    private record Probe(double topologyRate, double lakeRate, double publishRate, boolean lakeBehind) { }

    private record Verify(double achieved, boolean flat, long lagGrowth, long endLag) { }

    private Probe probe(String stage, Duration d, LoadPublisher load, GroupOffsets offsets) {
        progress.stage(stage, d);
        GroupOffsets.Sample first = offsets.sampleNow();
        // The gate samples the offsets itself every 100 ms and adds what was published since, so the backlog cannot
        // overshoot by what a fast producer sends between two background samples.
        GroupOffsets.Sample[] last = {first};
        long[] sentAtSample = {load.sent()};
        load.offer(LoadPublisher.UNBOUNDED, () -> {
            if (System.nanoTime() - last[0].nanos() > 100_000_000L) {
                sentAtSample[0] = load.sent();
                last[0] = offsets.sampleNow();
            }
            GroupOffsets.Sample s = last[0];
            long lag = s.topologyLag() + (load.sent() - sentAtSample[0]);
            return lag < PROBE_BACKLOG && s.lakeLag() < 20 * LAG_CAP;
        });
        long warmUpEnd = System.nanoTime() + Math.min(3_000_000_000L, d.toNanos() / 5);
        tickUntil(warmUpEnd, () -> "warming up");
        GroupOffsets.Sample s0 = offsets.sampleNow();
        tickUntil(System.nanoTime() + d.toNanos() - Math.min(3_000_000_000L, d.toNanos() / 5), () -> {
            GroupOffsets.Sample s = offsets.latest();
            return String.format("%,.0f rec/s, lag %d", (s.topology() - s0.topology()) / Math.max(0.001, s.seconds() - s0.seconds()), s.topologyLag());
        });
        GroupOffsets.Sample s1 = offsets.sampleNow();
        load.offer(0);
        double dt = s1.seconds() - s0.seconds();
        return new Probe((s1.topology() - s0.topology()) / dt, (s1.lake() - s0.lake()) / dt, (s1.end() - s0.end()) / dt,
                s1.lakeLag() > s0.lakeLag() + 2 * LAG_CAP);
    }

    private Verify verify(String stage, double rate, Duration d, LoadPublisher load, GroupOffsets offsets, PulseConfig config) {
        progress.stage(stage, d);
        load.offer(rate);
        long warmUpEnd = System.nanoTime() + Math.min(3_000_000_000L, d.toNanos() / 5);
        tickUntil(warmUpEnd, () -> "warming up at " + Math.round(rate) + " rec/s");
        GroupOffsets.Sample s0 = offsets.sampleNow();
        tickUntil(System.nanoTime() + d.toNanos() - Math.min(3_000_000_000L, d.toNanos() / 5),
                () -> "offered " + Math.round(rate) + " rec/s, lag " + offsets.latest().topologyLag());
        GroupOffsets.Sample s1 = offsets.sampleNow();
        load.offer(0);
        long growth = s1.topologyLag() - s0.topologyLag();
        double slack = Math.max(rate * 1.0, 1000);
        return new Verify((s1.end() - s0.end()) / (s1.seconds() - s0.seconds()), growth <= slack, growth, s1.topologyLag());
    }

    private void tickUntil(long deadlineNanos, java.util.function.Supplier<String> status) {
        while (System.nanoTime() < deadlineNanos) {
            progress.tick(status.get());
            java.util.concurrent.locks.LockSupport.parkNanos(Math.min(500_000_000L, Math.max(0, deadlineNanos - System.nanoTime())));
        }
    }

    /** Waits (at most {@code max}) until the topology has caught up; returns the lag left, so a stage can say it started behind. */
    private long awaitDrained(GroupOffsets offsets, Duration max) {
        progress.stage("draining", max);
        long deadline = System.nanoTime() + max.toNanos();
        long lag = offsets.sampleNow().topologyLag();
        while (lag >= DRAINED && System.nanoTime() < deadline) {
            progress.tick("topology lag " + lag);
            java.util.concurrent.locks.LockSupport.parkNanos(250_000_000L);
            lag = offsets.sampleNow().topologyLag();
        }
        return lag;
    }

    private void awaitReady(PulsePipeline pipeline, Duration max) throws InterruptedException {
        URI ready = URI.create("http://localhost:" + pipeline.apiPort() + "/health/ready");
        long deadline = System.nanoTime() + max.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (http.send(HttpRequest.newBuilder(ready).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not up yet
            }
            progress.tick("waiting for readiness");
            Thread.sleep(250); // polling with a deadline
        }
        throw new IllegalStateException("the pipeline was not ready within " + max + " (" + ready + ")");
    }

    /** @return records/s, records sent */
    private double[] rawProducer(EmbeddedInfrastructure infra, List<byte[]> keys, List<byte[]> values, Duration d) throws Exception {
        progress.stage("ceiling: raw producer", d);
        AtomicLong acked = new AtomicLong();
        long sent = 0;
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(infra.clients().producer("pulse-bench-raw"),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            // One acknowledged record per partition first: every leader is known before the clock starts.
            for (int p = 0; p < TopicCatalogue.EVENTS.partitions(); p++) {
                producer.send(new ProducerRecord<>(RAW_TOPIC, p, keys.get(0), values.get(0))).get(60, TimeUnit.SECONDS);
            }
            long start = System.nanoTime();
            long end = start + d.toNanos();
            long nextTick = start;
            while (System.nanoTime() < end) {
                int i = (int) (sent % values.size());
                producer.send(new ProducerRecord<>(RAW_TOPIC, keys.get(i), values.get(i)), (md, e) -> {
                    if (e == null) {
                        acked.incrementAndGet();
                    }
                });
                sent++;
                if ((sent & 1023) == 0 && System.nanoTime() > nextTick) {
                    nextTick = System.nanoTime() + 500_000_000L;
                    progress.tick(String.format("%,d sent", sent));
                }
            }
            // Bounded: a producer stuck retrying must not stall the bench (acknowledged records are what counts).
            producer.close(Duration.ofSeconds(30));
            double seconds = (System.nanoTime() - start) / 1e9;
            return new double[] {acked.get() / seconds, acked.get() + TopicCatalogue.EVENTS.partitions()};
        }
    }

    /** @return records/s */
    private double[] rawConsumer(EmbeddedInfrastructure infra, long records, Duration d) {
        progress.stage("ceiling: raw consumer", d);
        Map<String, Object> props = infra.clients().consumer("pulse-bench-raw-" + UUID.randomUUID(), "pulse-bench-raw");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> tps = IntStream.range(0, TopicCatalogue.EVENTS.partitions()).mapToObj(p -> new TopicPartition(RAW_TOPIC, p)).toList();
            consumer.assign(tps);
            consumer.seekToBeginning(tps);
            long read = 0;
            long start = System.nanoTime();
            long end = start + d.toNanos();
            while (read < records && System.nanoTime() < end) {
                ConsumerRecords<byte[], byte[]> batch = consumer.poll(Duration.ofMillis(200));
                read += batch.count();
                progress.tick(String.format("%,d of %,d read", read, records));
            }
            return new double[] {read / ((System.nanoTime() - start) / 1e9)};
        }
    }

    /** Markers published one at a time at half load; @return p50, p99, max in ms, and the marker count. */
    private double[] freshness(PulsePipeline pipeline, EmbeddedInfrastructure infra, Serializer<Envelope> serializer, double rate, Duration d,
                               LoadPublisher load, PulseConfig config) throws Exception {
        progress.stage("freshness @ half load", d);
        load.offer(rate);
        String token = pipeline.devTokens().orElseThrow().forTenant(MARKER_TENANT);
        RetailTrafficGenerator markers = new RetailTrafficGenerator(List.of(MARKER_TENANT), 99);
        List<Double> latencies = new ArrayList<>();
        int timedOut = 0;
        Instant from = Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofMinutes(2));
        try (EventPublisher publisher = new EventPublisher(infra.clients(), serializer, "pulse-bench-markers")) {
            long end = System.nanoTime() + d.toNanos();
            long baseline = markerCount(pipeline, token, from);
            while (System.nanoTime() < end) {
                Envelope marker = markers.next(Instant.now());
                long sentAt = marker.getEventTime().toEpochMilli();
                publisher.publish(marker);
                publisher.flush();
                long deadline = System.nanoTime() + 60_000_000_000L;
                while (markerCount(pipeline, token, from) < baseline + 1 && System.nanoTime() < deadline) {
                    Thread.sleep(10); // polling the API with a deadline
                }
                if (markerCount(pipeline, token, from) < baseline + 1) {
                    timedOut++; // not visible within 60 s: counted as 60 s, the pipeline is stalled or far behind
                }
                latencies.add((double) (System.currentTimeMillis() - sentAt));
                baseline++;
                heapSamples.add(ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
                progress.tick(String.format("%d markers, last %.0f ms", latencies.size(), latencies.get(latencies.size() - 1)));
            }
        }
        double[] v = latencies.stream().mapToDouble(Double::doubleValue).toArray();
        return new double[] {BenchReport.percentile(v, 50), BenchReport.percentile(v, 99), BenchReport.percentile(v, 100), v.length, timedOut};
    }

    private long markerCount(PulsePipeline pipeline, String token, Instant from) throws Exception {
        URI uri = URI.create("http://localhost:" + pipeline.apiPort() + "/api/v1/tenants/" + MARKER_TENANT + "/metrics?from=" + from
                + "&to=" + from.plus(Duration.ofMinutes(30)));
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + token).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            return -1;
        }
        JsonNode total = json.readTree(r.body()).get("totalEvents");
        return total == null ? -1 : total.asLong();
    }

    /** @return requests/s, p99 ms, non-200 count */
    private double[] apiLoad(PulsePipeline pipeline, List<String> tenants, double rate, Duration d, LoadPublisher load) throws Exception {
        progress.stage("API @ half load", d);
        load.offer(rate);
        ExecutorService workers = Executors.newFixedThreadPool(API_WORKERS);
        List<Double> latencies = Collections.synchronizedList(new ArrayList<>());
        AtomicLong errors = new AtomicLong();
        long start = System.nanoTime();
        long end = start + d.toNanos();
        List<Future<?>> running = new ArrayList<>();
        for (int w = 0; w < API_WORKERS; w++) {
            int worker = w;
            running.add(workers.submit(() -> {
                Random r = new Random(worker);
                while (System.nanoTime() < end) {
                    String tenant = tenants.get(r.nextInt(tenants.size()));
                    Instant to = Instant.now();
                    URI uri = URI.create("http://localhost:" + pipeline.apiPort() + "/api/v1/tenants/" + tenant + "/metrics?from="
                            + to.minus(Duration.ofMinutes(10)).truncatedTo(ChronoUnit.SECONDS) + "&to=" + to.truncatedTo(ChronoUnit.SECONDS));
                    String token = pipeline.devTokens().orElseThrow().forTenant(tenant);
                    long t = System.nanoTime();
                    try {
                        int status = http.send(HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + token).build(),
                                HttpResponse.BodyHandlers.ofString()).statusCode();
                        if (status != 200) {
                            errors.incrementAndGet();
                        }
                    } catch (IOException e) {
                        errors.incrementAndGet();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                    latencies.add((System.nanoTime() - t) / 1e6);
                }
            }));
        }
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        while (System.nanoTime() < end) {
            heapSamples.add(memory.getHeapMemoryUsage().getUsed());
            progress.tick(String.format("%,d requests", latencies.size()));
            Thread.sleep(Math.min(500, Math.max(1, (end - System.nanoTime()) / 1_000_000))); // sampling cadence
        }
        for (Future<?> f : running) {
            f.get(30, TimeUnit.SECONDS);
        }
        workers.shutdownNow();
        double seconds = (System.nanoTime() - start) / 1e9;
        double[] v;
        synchronized (latencies) {
            v = latencies.stream().mapToDouble(Double::doubleValue).toArray();
        }
        return new double[] {v.length / seconds, BenchReport.percentile(v, 99), errors.get()};
    }

    /** Heap from the samples taken at half load; RocksDB from Kafka Streams' state metrics (JMX), with the configured bounds. */
    private void memory(BenchReport report, PulseConfig config) throws Exception {
        long[] heap;
        synchronized (heapSamples) {
            heap = heapSamples.stream().mapToLong(Long::longValue).toArray();
        }
        double avg = java.util.Arrays.stream(heap).average().orElse(0) / (1 << 20);
        double max = java.util.Arrays.stream(heap).max().orElse(0) / (double) (1 << 20);
        long maxHeap = Runtime.getRuntime().maxMemory() >> 20;
        report.add("memory", "heap used, mean at half load", avg, "MiB", "whole JVM: broker, registry, pipeline, load; -Xmx " + maxHeap + " MiB; includes garbage not yet collected");
        report.add("memory", "heap used, max at half load", max, "MiB", "as above");
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        double blockCache = 0;
        double memTables = 0;
        int stores = 0;
        for (ObjectName name : server.queryNames(new ObjectName("kafka.streams:type=stream-state-metrics,*"), null)) {
            Double cache = number(server, name, "block-cache-usage");
            Double tables = number(server, name, "size-all-mem-tables");
            if (cache != null || tables != null) {
                stores++;
                blockCache = Math.max(blockCache, cache == null ? 0 : cache); // one cache shared by every store
                memTables += tables == null ? 0 : tables;
            }
        }
        long cacheBound = config.engagement().rocksDbCacheBytes() >> 20;
        long writeBound = config.engagement().rocksDbWriteBufferBytes() >> 20;
        if (stores > 0) {
            report.add("memory", "RocksDB block cache used", blockCache / (1 << 20), "MiB",
                    "Kafka Streams metric block-cache-usage (shared cache, bounded at " + cacheBound + " MiB), " + stores + " stores");
            report.add("memory", "RocksDB memtables", memTables / (1 << 20), "MiB",
                    "sum of size-all-mem-tables; write buffer manager bound " + writeBound + " MiB (counted inside the cache)");
        } else {
            report.add("memory", "RocksDB off-heap bound (configured)", cacheBound, "MiB",
                    "metrics not reachable over JMX: the configured bound of the shared block cache, write buffers " + writeBound + " MiB inside it");
        }
    }

    private static Double number(MBeanServer server, ObjectName name, String attribute) {
        try {
            Object v = server.getAttribute(name, attribute);
            return v instanceof Number n ? n.doubleValue() : null;
        } catch (Exception e) {
            return null;
        }
    }

    /** Parquet bytes per event, from the committed lake files (after the clean stop committed the open ones). */
    private void lakeFiles(BenchReport report, PulseConfig config) throws Exception {
        Path events = config.lake().dir().resolve("events");
        long bytes;
        try (Stream<Path> files = Files.walk(events)) {
            bytes = files.filter(p -> p.toString().endsWith(".parquet")).mapToLong(p -> {
                try {
                    return Files.size(p);
                } catch (IOException e) {
                    return 0;
                }
            }).sum();
        }
        long rows;
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select count(*) from read_parquet('" + events.resolve("**").resolve("*.parquet")
                     + "', hive_partitioning = true, union_by_name = true)")) {
            rs.next();
            rows = rs.getLong(1);
        }
        double perEvent = rows == 0 ? 0 : (double) bytes / rows;
        report.add("lake", "Parquet bytes per event", perEvent, "B", rows + " rows in " + (bytes >> 20)
                + " MiB of files; row groups close per flush interval, so short flushes cost compression");
        double lakeRate = report.value("lake", "lake sink records/s (probe)").orElse(0);
        report.add("lake", "lake sink MB/s (Parquet written)", lakeRate * perEvent / 1e6, "MB/s", "records/s x Parquet bytes per event");
    }
}
