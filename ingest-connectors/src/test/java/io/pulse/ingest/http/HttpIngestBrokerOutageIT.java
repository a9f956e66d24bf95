package io.pulse.ingest.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.pulse.avro.Envelope;
import io.pulse.common.config.PulseConfig;
import io.pulse.common.kafka.DeadLetterHeaders;
import io.pulse.common.kafka.KafkaClientSettings;
import io.pulse.common.kafka.TopicProvisioner;
import io.pulse.common.registry.RestSchemaRegistryClient;
import io.pulse.common.serde.SerdeFactory;
import io.pulse.common.topics.TopicCatalogue;
import io.pulse.embedded.kafka.EmbeddedKafkaBroker;
import io.pulse.embedded.registry.EmbeddedSchemaRegistry;
import io.pulse.ingest.delivery.DeliverySettings;
import io.pulse.ingest.delivery.KafkaEventDelivery;
import io.pulse.ingest.source.IngestSources;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The issue's "done when": HTTP clients keep posting while the real broker is stopped and started again;
 * every request is answered 202 (the events are in the outbox meanwhile), and once the broker is back every
 * accepted event is on the events topic exactly once by event id, in the order it was accepted per source.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class HttpIngestBrokerOutageIT {
    private static final Duration DEADLINE = Duration.ofSeconds(120);
    private static final int REQUESTS_PER_PHASE = 15;
    /** Requests each client makes while the broker is down: well past the first timeouts, deep into the outbox path. */
    private static final int REQUESTS_DURING_OUTAGE = 60;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private EmbeddedKafkaBroker broker;
    private EmbeddedSchemaRegistry registry;
    private KafkaClientSettings kafka;
    private SerdeFactory serdes;
    private KafkaEventDelivery delivery;
    private Javalin app;
    private final List<Poster> posters = new ArrayList<>();

    @BeforeEach
    void start() {
        broker = EmbeddedKafkaBroker.builder(dir.resolve("kafka")).build().start();
        kafka = new KafkaClientSettings(new PulseConfig.Kafka(broker.bootstrapServers(), Optional.empty(), Optional.empty(), Optional.empty()));
        try (Admin admin = Admin.create(kafka.admin("http-outage-it-admin"))) {
            new TopicProvisioner(admin, (short) 1, Duration.ofSeconds(30)).ensure(TopicCatalogue.all());
        }
        registry = EmbeddedSchemaRegistry.create(kafka.common(), 0).start();
        serdes = new SerdeFactory(new RestSchemaRegistryClient(registry.url()));
        // Short client timeouts, so that the outage is noticed in seconds rather than the production defaults.
        delivery = KafkaEventDelivery.create(kafka, serdes, DeliverySettings.defaults(dir.resolve("ingest"))
                        .withDeliveryTimeout(Duration.ofSeconds(3))
                        .withCircuit(50, 3, Duration.ofSeconds(2))
                        .withTransactionalId(Optional.of("pulse-ingest-http-outage-it"))
                        .withProducerOverrides(Map.of(ProducerConfig.MAX_BLOCK_MS_CONFIG, 2000,
                                ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 500)),
                new SimpleMeterRegistry());
        IngestHttpSettings settings = IngestHttpSettings.builder()
                .sourceKey("webshop", "webshop-key", "contoso", "fabrikam")
                .sourceKey("pos", "pos-key", "contoso")
                .tenantEventsPerSecond(100_000).tenantBurst(100_000)
                .requestTimeout(Duration.ofSeconds(60)) // longer than the delivery path's worst case before the outbox takes over
                .build();
        app = IngestHttp.create(delivery, settings, new IngestSources(), Clock.systemUTC()).start("127.0.0.1", 0);
    }

    @AfterEach
    void stop() throws Exception {
        posters.forEach(Poster::stop);
        for (Poster p : posters) {
            p.thread.join(TimeUnit.SECONDS.toMillis(90));
        }
        if (app != null) {
            app.stop();
        }
        if (delivery != null) {
            delivery.close();
        }
        if (registry != null) {
            registry.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void everyRequestGets202ThroughABrokerOutageAndEveryAcceptedEventArrivesOnceInOrderPerSource() throws Exception {
        Poster webshop = poster("webshop", "webshop-key", List.of("contoso", "fabrikam"));
        Poster pos = poster("pos", "pos-key", List.of("contoso"));

        awaitMoreRequests(REQUESTS_PER_PHASE);
        broker.stop();
        await().atMost(DEADLINE).until(() -> delivery.status().outboxEvents() > 0);
        awaitMoreRequests(REQUESTS_DURING_OUTAGE);
        long waitingInOutbox = delivery.status().outboxEvents();
        broker.start();
        awaitMoreRequests(REQUESTS_PER_PHASE);
        posters.forEach(Poster::stop);
        for (Poster p : posters) {
            p.thread.join(TimeUnit.SECONDS.toMillis(90));
        }

        assertThat(waitingInOutbox).as("accepted events piled up in the outbox during the outage").isGreaterThanOrEqualTo(REQUESTS_DURING_OUTAGE);
        for (Poster p : posters) {
            assertThat(p.failures).as("answers other than 202 to source %s", p.source).isEmpty();
        }
        await().atMost(DEADLINE).until(() -> delivery.status().online());

        List<ConsumerRecord<byte[], Envelope>> records = readEventsTopic();
        Set<String> accepted = new HashSet<>();
        posters.forEach(p -> p.accepted.values().forEach(accepted::addAll));
        Map<String, List<ConsumerRecord<byte[], Envelope>>> copies = new LinkedHashMap<>();
        records.forEach(r -> copies.computeIfAbsent(r.value().getEventId(), id -> new ArrayList<>()).add(r));
        assertThat(accepted).hasSizeGreaterThan(REQUESTS_DURING_OUTAGE);
        assertThat(copies.keySet()).as("every accepted event arrived, and nothing else").containsExactlyInAnyOrderElementsOf(accepted);
        // Sends whose acknowledgement the outage swallowed were in transactions that were aborted (or fenced by the next
        // producer) before the outbox sent them again: a read_committed reader sees each event exactly once.
        Map<String, String> redelivered = new LinkedHashMap<>();
        copies.forEach((id, rs) -> {
            if (rs.size() > 1) {
                redelivered.put(id, rs.stream().map(r -> r.partition() + "@" + r.offset()).toList().toString());
            }
        });
        assertThat(redelivered).as("events that arrived more than once (partition@offset)").isEmpty();
        assertThat(records).as("every accepted event exactly once").hasSize(accepted.size());
        for (Poster p : List.of(webshop, pos)) {
            for (Map.Entry<String, List<String>> sent : p.accepted.entrySet()) {
                List<String> order = records.stream()
                        .filter(r -> ("http/" + p.source).equals(DeadLetterHeaders.text(r.headers(), DeadLetterHeaders.SOURCE)))
                        .filter(r -> r.value().getTenant().equals(sent.getKey()))
                        .map(r -> r.value().getEventId()).toList();
                assertThat(order).as("events of source %s for tenant %s, in the order they were accepted", p.source, sent.getKey())
                        .containsExactlyElementsOf(sent.getValue());
            }
        }
    }

    private Poster poster(String source, String key, List<String> tenants) {
        Poster p = new Poster(source, key, tenants, URI.create("http://127.0.0.1:" + app.port() + IngestHttp.EVENTS_PATH));
        posters.add(p);
        p.thread.start();
        return p;
    }

    /** Waits until every poster has had {@code n} more requests answered than now. */
    private void awaitMoreRequests(int n) {
        Map<Poster, Integer> target = new LinkedHashMap<>();
        posters.forEach(p -> target.put(p, p.answered.get() + n));
        await().atMost(DEADLINE).until(() -> target.entrySet().stream().allMatch(e -> e.getKey().answered.get() >= e.getValue()));
    }

    /** Everything committed on the events topic up to its current end offsets, read as every Pulse consumer reads (read_committed). */
    private List<ConsumerRecord<byte[], Envelope>> readEventsTopic() {
        List<ConsumerRecord<byte[], Envelope>> all = new ArrayList<>();
        Map<String, Object> config = new LinkedHashMap<>(kafka.consumer("http-outage-it", "http-outage-it-reader"));
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        try (KafkaConsumer<byte[], Envelope> consumer = new KafkaConsumer<>(config,
                new ByteArrayDeserializer(), serdes.forValue(TopicCatalogue.EVENTS).deserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(TopicCatalogue.EVENTS.name()).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            await().atMost(DEADLINE).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(all::add);
                return partitions.stream().allMatch(p -> consumer.position(p) >= end.get(p));
            });
        }
        return all;
    }

    /** One HTTP client of one source: posts batches of 1 to 5 events, one request after the other, and notes what was accepted. */
    private static final class Poster implements Runnable {
        final String source;
        final Thread thread;
        final Map<String, List<String>> accepted = new ConcurrentHashMap<>();
        final List<String> failures = new CopyOnWriteArrayList<>();
        final AtomicInteger answered = new AtomicInteger();
        private final String key;
        private final List<String> tenants;
        private final URI uri;
        private final HttpClient http = HttpClient.newHttpClient();
        private volatile boolean running = true;
        private int sequence;

        Poster(String source, String key, List<String> tenants, URI uri) {
            this.source = source;
            this.key = key;
            this.tenants = tenants;
            this.uri = uri;
            this.thread = new Thread(this, "poster-" + source);
            tenants.forEach(t -> accepted.put(t, Collections.synchronizedList(new ArrayList<>())));
        }

        void stop() {
            running = false;
        }

        @Override
        public void run() {
            while (running) {
                ArrayNode batch = JsonNodeFactory.instance.arrayNode();
                List<ObjectNode> events = new ArrayList<>();
                for (int i = 0; i < 1 + sequence % 5; i++) {
                    String tenant = tenants.get((sequence + i) % tenants.size());
                    ObjectNode e = batch.addObject().put("eventId", UUID.randomUUID().toString()).put("tenant", tenant)
                            .put("type", "PAGE_VIEW").put("eventTime", Instant.now().toString()).put("channel", "WEB");
                    e.putObject("payload").put("url", "/" + source + "/" + sequence + "/" + i);
                    events.add(e);
                }
                sequence++;
                try {
                    HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(90))
                            .header("Content-Type", "application/json").header(IngestHttp.KEY_HEADER, key)
                            .POST(HttpRequest.BodyPublishers.ofString(batch.toString())).build(), HttpResponse.BodyHandlers.ofString());
                    if (r.statusCode() == 202) {
                        JsonNode ids = JSON.readTree(r.body()).get("eventIds");
                        for (int i = 0; i < events.size(); i++) {
                            accepted.get(events.get(i).get("tenant").asText()).add(ids.get(i).asText());
                        }
                    } else {
                        failures.add(r.statusCode() + " " + r.body());
                    }
                } catch (Exception e) {
                    failures.add(e.toString());
                }
                answered.incrementAndGet();
            }
        }
    }
}
