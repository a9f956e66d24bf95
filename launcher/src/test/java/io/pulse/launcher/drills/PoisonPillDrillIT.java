package io.pulse.launcher.drills;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.pulse.avro.Envelope;
import io.pulse.avro.WindowedMetrics;
import io.pulse.common.config.ConfigKeys;
import io.pulse.common.config.PulseConfig;
import io.pulse.common.kafka.DeadLetterHeaders;
import io.pulse.common.topics.EventKeys;
import io.pulse.common.topics.TopicCatalogue;
import io.pulse.ingest.generator.RetailTrafficGenerator;
import io.pulse.launcher.wiring.EmbeddedInfrastructure;
import io.pulse.launcher.wiring.PulsePipeline;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fault drill: one record in 10,000 on the events topic is a poison pill — bytes that no deserializer can read (random
 * garbage without the registry's framing, or a real envelope truncated mid-record) — among valid generated events,
 * all written through one producer so that the pills sit between valid records of the same tenants' partitions. The
 * whole pipeline runs (topology, lake sink, live feed, API) on the embedded broker.
 *
 * <p>Afterwards: the dead-letter topic holds exactly the pills (matched by origin topic, partition and offset from the
 * records' headers, and byte for byte), from the topology and from every other consumer that dead-letters them,
 * never a valid event; the topology never stopped: every final tenant-wide 1-minute metric equals the input's valid
 * events exactly, including the windows after the last pill.
 *
 * <p>CI size: 30,000 records, 3 pills; long mode ({@link DrillMode}): 300,000 records, 30 pills.
 */
@Timeout(value = 15, unit = TimeUnit.MINUTES)
class PoisonPillDrillIT {
    private static final String TAG = "[poison-pill drill]";
    private static final List<String> TENANTS = List.of("contoso", "fabrikam", "northwind");
    private static final long SEED = Long.getLong("pulse.drill.seed", 20_261_110L);
    private static final Duration GRACE = Duration.ofSeconds(10);
    private static final int ONE_IN = 10_000;
    private static final String STREAMS_ORIGIN_TOPIC = "__streams.errors.topic";
    private static final String STREAMS_ORIGIN_PARTITION = "__streams.errors.partition";
    private static final String STREAMS_ORIGIN_OFFSET = "__streams.errors.offset";

    @TempDir
    Path dataDir;

    private EmbeddedInfrastructure infra;
    private PulsePipeline pipeline;

    @AfterEach
    void stop() {
        if (pipeline != null) {
            pipeline.close();
        }
        if (infra != null) {
            infra.close();
        }
    }

    @Test
    void ciSized() throws Exception {
        drill(30_000);
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.MINUTES)
    void longMode() throws Exception {
        assumeTrue(DrillMode.isLong(), DrillMode.HOW_TO_ENABLE);
        drill(300_000);
    }

    private void drill(int records) throws Exception {
        Random random = new Random(SEED);
        PulseConfig config = StreamsKillDrillIT.config(dataDir, Map.of(
                ConfigKeys.WINDOW_GRACE, GRACE.toSeconds() + "s",
                ConfigKeys.HOURLY_WINDOW_GRACE, GRACE.toSeconds() + "s",
                ConfigKeys.GENERATOR_RATE, "0"));
        infra = EmbeddedInfrastructure.start(config);
        pipeline = PulsePipeline.start(config, infra.clients(), infra.registryUrl());
        Serializer<Envelope> serializer = pipeline.serdes().forValue(TopicCatalogue.EVENTS).serializer();

        // One pill at a random position in each block of 10,000 records; event times advance 200 ms per record.
        RetailTrafficGenerator generator = new RetailTrafficGenerator(TENANTS, SEED);
        Instant base = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(4));
        List<Envelope> valid = new ArrayList<>();
        List<Pill> pills = new ArrayList<>();
        List<Future<RecordMetadata>> pillAcks = new ArrayList<>();
        int nextPill = random.nextInt(ONE_IN);
        long start = System.nanoTime();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(infra.clients().producer("poison-pill-drill"),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < records; i++) {
                Envelope event = generator.next(base.plusMillis(i * 200L));
                byte[] key = EventKeys.of(event).getBytes(StandardCharsets.UTF_8);
                byte[] value = serializer.serialize(TopicCatalogue.EVENTS.name(), event);
                if (i == nextPill) {
                    String kind;
                    if (pills.size() % 2 == 0) {
                        kind = "garbage";
                        value = new byte[16 + random.nextInt(48)];
                        random.nextBytes(value);
                        value[0] = 0x7f; // never the registry framing's magic byte 0
                    } else {
                        kind = "truncated";
                        value = Arrays.copyOf(value, value.length / 2);
                    }
                    pills.add(new Pill(i, kind, value));
                    pillAcks.add(producer.send(new ProducerRecord<>(TopicCatalogue.EVENTS.name(), null, event.getEventTime().toEpochMilli(), key, value)));
                    nextPill = (i / ONE_IN + 1) * ONE_IN + random.nextInt(ONE_IN);
                } else {
                    valid.add(event);
                    producer.send(new ProducerRecord<>(TopicCatalogue.EVENTS.name(), null, event.getEventTime().toEpochMilli(), key, value));
                }
            }
            producer.flush();
            for (int p = 0; p < pills.size(); p++) {
                RecordMetadata m = pillAcks.get(p).get(60, TimeUnit.SECONDS);
                pills.set(p, pills.get(p).at(m.partition(), m.offset()));
            }
        }
        System.out.printf("%s seed %d (-Dpulse.drill.seed=%d to repeat): injected %d poison pills in %,d records on %s in %.1f s:%n",
                TAG, SEED, SEED, pills.size(), records, TopicCatalogue.EVENTS.name(), (System.nanoTime() - start) / 1e9);
        pills.forEach(p -> System.out.printf("%s   record %,7d  %-9s  %2d bytes  -> %s-%d@%d%n", TAG, p.index(), p.kind(), p.value().length,
                TopicCatalogue.EVENTS.name(), p.partition(), p.offset()));
        assertThat(pills).hasSize(records / ONE_IN);

        ExpectedMetrics expected = ExpectedMetrics.from(valid, GRACE);
        Map<String, Pill> pillsByOrigin = new TreeMap<>();
        pills.forEach(p -> pillsByOrigin.put(TopicCatalogue.EVENTS.name() + "-" + p.partition() + "@" + p.offset(), p));

        ExpectedMetrics.Finals finals = new ExpectedMetrics.Finals();
        Map<String, List<String>> deadLettersBySender = new TreeMap<>(); // "topology" or the stage header -> origins
        List<String> notPills = new ArrayList<>();
        try (KafkaConsumer<String, WindowedMetrics> metrics = new KafkaConsumer<>(
                infra.clients().consumer("poison-pill-drill-metrics", "poison-pill-drill"), new StringDeserializer(),
                pipeline.serdes().forValue(TopicCatalogue.METRICS).deserializer());
             KafkaConsumer<byte[], byte[]> deadLetters = new KafkaConsumer<>(
                     infra.clients().consumer("poison-pill-drill-dlq", "poison-pill-drill"), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            metrics.subscribe(List.of(TopicCatalogue.METRICS.name()));
            deadLetters.subscribe(List.of(TopicCatalogue.DEAD_LETTERS.name()));
            await("every closed window has its final, and the topology dead-lettered every pill").atMost(Duration.ofMinutes(8))
                    .pollInterval(Duration.ZERO).untilAsserted(() -> {
                        finals.poll(metrics);
                        for (ConsumerRecord<byte[], byte[]> r : deadLetters.poll(Duration.ofMillis(50))) {
                            String sender = header(r, STREAMS_ORIGIN_TOPIC) != null ? "topology (Kafka Streams DLQ)"
                                    : "pulse stage " + header(r, DeadLetterHeaders.ERROR_STAGE);
                            String origin = header(r, STREAMS_ORIGIN_TOPIC) != null
                                    ? header(r, STREAMS_ORIGIN_TOPIC) + "-" + header(r, STREAMS_ORIGIN_PARTITION) + "@" + header(r, STREAMS_ORIGIN_OFFSET)
                                    : header(r, DeadLetterHeaders.ORIGIN_TOPIC) + "-" + header(r, DeadLetterHeaders.ORIGIN_PARTITION) + "@"
                                    + header(r, DeadLetterHeaders.ORIGIN_OFFSET);
                            Pill pill = pillsByOrigin.get(origin);
                            if (pill == null || !Arrays.equals(pill.value(), r.value())) {
                                notPills.add(sender + ": " + origin);
                            }
                            deadLettersBySender.computeIfAbsent(sender, k -> new ArrayList<>()).add(origin);
                        }
                        assertThat(notPills).as("dead letters that are not one of the pills, byte for byte").isEmpty();
                        assertThat(deadLettersBySender.getOrDefault("topology (Kafka Streams DLQ)", List.of()))
                                .as("the topology's dead letters").containsExactlyInAnyOrderElementsOf(pillsByOrigin.keySet());
                        assertThat(finals.byWindow.keySet()).as("final windows").containsAll(expected.closedWindows.keySet());
                    });
            // Whatever else dead-letters the pills (the lake sink does), does so once each, and only for pills.
            deadLettersBySender.forEach((sender, origins) ->
                    assertThat(origins).as("dead letters from %s", sender).doesNotHaveDuplicates().isSubsetOf(pillsByOrigin.keySet()));
        }
        expected.assertMatches(finals);
        String lastPillRecord = String.format("%,d", pills.get(pills.size() - 1).index());
        long windowsAfterLastPill = finals.byWindow.keySet().stream()
                .filter(k -> Instant.parse(k.substring(k.indexOf('@') + 1)).isAfter(base.plusMillis(pills.get(pills.size() - 1).index() * 200L)))
                .count();
        assertThat(windowsAfterLastPill).as("final windows after the last pill (processing went on)").isPositive();

        System.out.printf("%s verified: the dead-letter topic holds exactly the %d pills (by origin partition/offset and bytes), per sender %s;"
                        + " no valid event dead-lettered; %,d final tenant-wide 1-minute windows (%,d after the last pill, record %s) equal the"
                        + " %,d valid events exactly, one final each: processing never stopped%n",
                TAG, pills.size(), summary(deadLettersBySender), finals.byWindow.size(), windowsAfterLastPill, lastPillRecord, valid.size());
    }

    private static Map<String, Integer> summary(Map<String, List<String>> bySender) {
        Map<String, Integer> counts = new HashMap<>();
        bySender.forEach((k, v) -> counts.put(k, v.size()));
        return new TreeMap<>(counts);
    }

    private static String header(ConsumerRecord<?, ?> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    private record Pill(int index, String kind, byte[] value, int partition, long offset) {
        Pill(int index, String kind, byte[] value) {
            this(index, kind, value, -1, -1);
        }

        Pill at(int partition, long offset) {
            return new Pill(index, kind, value, partition, offset);
        }
    }
}
