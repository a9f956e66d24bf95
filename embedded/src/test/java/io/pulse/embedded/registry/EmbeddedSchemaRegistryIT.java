package io.pulse.embedded.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pulse.avro.Channel;
import io.pulse.avro.Envelope;
import io.pulse.avro.EventType;
import io.pulse.avro.LineItem;
import io.pulse.avro.Money;
import io.pulse.avro.Purchase;
import io.pulse.avro.Source;
import io.pulse.avro.SourceKind;
import io.pulse.avro.WindowedMetrics;
import io.pulse.common.registry.IncompatibleSchemaException;
import io.pulse.common.registry.RestSchemaRegistryClient;
import io.pulse.common.registry.SchemaNotFoundException;
import io.pulse.common.registry.SchemaRegistryClient;
import io.pulse.common.registry.SubjectNotFoundException;
import io.pulse.common.serde.SerdeFactory;
import io.pulse.common.topics.TopicCatalogue;
import io.pulse.embedded.kafka.EmbeddedKafkaBroker;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.avro.Schema;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The embedded registry on a real broker, used through the REST client and the serdes as Pulse uses it. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class EmbeddedSchemaRegistryIT {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(WAIT).build();

    @TempDir
    static Path dataDir;
    private static EmbeddedKafkaBroker broker;
    private static Map<String, Object> kafka;
    private static EmbeddedSchemaRegistry registry;
    private static SchemaRegistryClient client;

    @BeforeAll
    static void start() {
        broker = EmbeddedKafkaBroker.builder(dataDir).build().start();
        kafka = Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        startRegistry();
    }

    @AfterAll
    static void stop() {
        if (registry != null) {
            registry.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    private static void startRegistry() {
        registry = EmbeddedSchemaRegistry.create(kafka, 0).start();
        client = new RestSchemaRegistryClient(registry.url());
    }

    @Test
    void createsItsStorageTopicCompactedWithOnePartition() throws Exception {
        try (Admin admin = Admin.create(kafka)) {
            String topic = TopicCatalogue.SCHEMAS.name();
            TopicDescription description = admin.describeTopics(List.of(topic)).allTopicNames()
                    .get(WAIT.toSeconds(), TimeUnit.SECONDS).get(topic);
            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
            Config config = admin.describeConfigs(List.of(resource)).all().get(WAIT.toSeconds(), TimeUnit.SECONDS).get(resource);

            assertThat(description.partitions()).hasSize(1);
            assertThat(config.get("cleanup.policy").value()).isEqualTo("compact");
        }
    }

    @Test
    void registersAndLooksUpTheEnvelope() {
        String subject = unique("events-value");

        int id = client.register(subject, Envelope.getClassSchema());

        assertThat(client.getById(id)).isEqualTo(Envelope.getClassSchema());
        assertThat(client.getLatest(subject)).isEqualTo(
                new SchemaRegistryClient.RegisteredSchema(subject, 1, id, Envelope.getClassSchema()));
        assertThat(client.register(subject, Envelope.getClassSchema())).as("registering again").isEqualTo(id);
        assertThat(client.getVersions(subject)).containsExactly(1);
    }

    @Test
    void keepsTheVersionsOfAnEvolvingSubject() {
        String subject = unique("metrics-value");
        Schema older = withoutField(WindowedMetrics.getClassSchema(), "channel");

        int v1 = client.register(subject, older);
        int v2 = client.register(subject, WindowedMetrics.getClassSchema());

        assertThat(v2).isNotEqualTo(v1);
        assertThat(client.getVersions(subject)).containsExactly(1, 2);
        assertThat(client.getVersion(subject, 1).schema()).isEqualTo(older);
        assertThat(client.getVersion(subject, 2).id()).isEqualTo(v2);
        assertThat(client.getLatest(subject).version()).isEqualTo(2);
    }

    @Test
    void checksCompatibilityAgainstTheLatestVersion() {
        String subject = unique("metrics-value");
        client.register(subject, withoutField(WindowedMetrics.getClassSchema(), "channel"));

        assertThat(client.isCompatible(subject, WindowedMetrics.getClassSchema())).isTrue();
        assertThat(client.isCompatible(subject, withRequiredField(WindowedMetrics.getClassSchema(), "region"))).isFalse();
        assertThat(client.isCompatible(unique("new-value"), Envelope.getClassSchema())).as("no version yet").isTrue();
    }

    @Test
    void rejectsAnIncompatibleRegistrationNamingSubjectAndField() {
        String subject = unique("metrics-value");
        client.register(subject, WindowedMetrics.getClassSchema());

        assertThatThrownBy(() -> client.register(subject, withRequiredField(WindowedMetrics.getClassSchema(), "region")))
                .isInstanceOf(IncompatibleSchemaException.class)
                .hasMessageContaining("'" + subject + "'")
                .hasMessageContaining("region");
        assertThat(client.getVersions(subject)).containsExactly(1);
    }

    @Test
    void unknownIdsAndSubjectsAreNamedInTheErrors() {
        assertThatThrownBy(() -> client.getById(987_654))
                .isInstanceOf(SchemaNotFoundException.class)
                .hasMessageContaining("987654");
        String subject = unique("nobody-value");
        assertThatThrownBy(() -> client.getLatest(subject))
                .isInstanceOf(SubjectNotFoundException.class)
                .hasMessageContaining(subject);
    }

    @Test
    void answersConfluentErrorBodiesWithTheirStatus() throws Exception {
        String subject = unique("bad-value");

        HttpResponse<String> invalid = call("POST", "/subjects/" + subject + "/versions", "{\"schema\": \"{\\\"type\\\": \\\"nonsense\\\"}\"}");
        HttpResponse<String> badVersion = call("GET", "/subjects/" + subject + "/versions/zero", null);
        HttpResponse<String> unknownId = call("GET", "/schemas/ids/987654", null);

        assertThat(invalid.statusCode()).isEqualTo(422);
        assertThat(JSON.readTree(invalid.body()).get("error_code").asInt()).isEqualTo(42201);
        assertThat(JSON.readTree(invalid.body()).get("message").asText()).contains(subject);
        assertThat(badVersion.statusCode()).isEqualTo(422);
        assertThat(JSON.readTree(badVersion.body()).get("error_code").asInt()).isEqualTo(42202);
        assertThat(unknownId.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(unknownId.body()).get("error_code").asInt()).isEqualTo(40403);
        assertThat(unknownId.headers().firstValue("Content-Type")).hasValue(RestSchemaRegistryClient.CONTENT_TYPE);
    }

    @Test
    void listsSubjectsAndFindsASchemaUnderASubject() throws Exception {
        String subject = unique("odd/subject name");
        int id = client.register(subject, Envelope.getClassSchema());
        String encoded = subject.replace("/", "%2F").replace(" ", "%20");
        String body = JSON.createObjectNode().put("schema", Envelope.getClassSchema().toString()).toString();

        JsonNode subjects = JSON.readTree(call("GET", "/subjects", null).body());
        HttpResponse<String> found = call("POST", "/subjects/" + encoded, body);
        HttpResponse<String> notThere = call("POST", "/subjects/" + encoded,
                JSON.createObjectNode().put("schema", WindowedMetrics.getClassSchema().toString()).toString());

        assertThat(subjects).extracting(JsonNode::asText).contains(subject);
        assertThat(found.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(found.body()).get("id").asInt()).isEqualTo(id);
        assertThat(JSON.readTree(found.body()).get("version").asInt()).isEqualTo(1);
        assertThat(notThere.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(notThere.body()).get("error_code").asInt()).isEqualTo(40403);
    }

    @Test
    void keepsSchemasIdsAndConfigurationAcrossARestart() throws Exception {
        String subject = unique("metrics-value");
        Schema older = withoutField(WindowedMetrics.getClassSchema(), "channel");
        int v1 = client.register(subject, older);
        int v2 = client.register(subject, WindowedMetrics.getClassSchema());
        assertThat(call("PUT", "/config", "{\"compatibility\": \"FULL\"}").statusCode()).isEqualTo(200);
        try {
            registry.close();
            startRegistry();

            assertThat(client.getVersions(subject)).containsExactly(1, 2);
            assertThat(client.getVersion(subject, 1)).isEqualTo(new SchemaRegistryClient.RegisteredSchema(subject, 1, v1, older));
            assertThat(client.getById(v2)).isEqualTo(WindowedMetrics.getClassSchema());
            assertThat(JSON.readTree(call("GET", "/config", null).body()).get("compatibilityLevel").asText()).isEqualTo("FULL");
            int next = client.register(unique("after-restart-value"), withRequiredField(Envelope.getClassSchema(), "x"));
            assertThat(next).as("ids are not handed out twice").isGreaterThan(v2);
        } finally {
            assertThat(call("PUT", "/config", "{\"compatibility\": \"BACKWARD\"}").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void serdesRoundTripAnEnvelopeThroughTheBrokerAndTheRegistry() throws Exception {
        String topic = createTopic(unique("pulse.events"));
        SerdeFactory serdes = new SerdeFactory(new RestSchemaRegistryClient(registry.url()));
        Envelope sent = purchase();
        try (KafkaProducer<String, Envelope> producer = new KafkaProducer<>(producerConfig(),
                new StringSerializer(), serdes.specific(Envelope.class, false).serializer())) {
            producer.send(new ProducerRecord<>(topic, "acme/customer-42", sent)).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        }

        byte[] raw = readOne(topic);

        assertThat(raw[0]).isEqualTo((byte) 0);
        assertThat(ByteBuffer.wrap(raw, 1, 4).getInt()).isEqualTo(client.getLatest(topic + "-value").id());
        assertThat(serdes.specific(Envelope.class, false).deserializer().deserialize(topic, raw)).isEqualTo(sent);
    }

    @Test
    void refusesATakenPortNamingIt() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            assertThatThrownBy(() -> EmbeddedSchemaRegistry.create(kafka, taken.getLocalPort()).start())
                    .isInstanceOf(EmbeddedRegistryException.class)
                    .hasMessageContaining("port " + taken.getLocalPort())
                    .hasMessageContaining("pulse.embedded.registry-port");
        }
    }

    @Test
    void failsNamingItsTopicWhenKafkaIsUnreachableAndReleasesItsPort() throws IOException {
        int port = freePort();
        Map<String, Object> nowhere = Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + freePort());

        assertThatThrownBy(() -> EmbeddedSchemaRegistry.create(nowhere, port, Duration.ofSeconds(2)).start())
                .isInstanceOf(EmbeddedRegistryException.class)
                .hasMessageContaining(TopicCatalogue.SCHEMAS.name());
        try (ServerSocket again = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            assertThat(again.getLocalPort()).isEqualTo(port);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static HttpResponse<String> call(String method, String path, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(registry.url() + path)).timeout(WAIT)
                .header("Content-Type", RestSchemaRegistryClient.CONTENT_TYPE);
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String createTopic(String name) throws Exception {
        try (Admin admin = Admin.create(kafka)) {
            admin.createTopics(List.of(new NewTopic(name, 1, (short) 1))).all().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        }
        return name;
    }

    private static Map<String, Object> producerConfig() {
        return Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(), ProducerConfig.ACKS_CONFIG, "all");
    }

    private static byte[] readOne(String topic) {
        Map<String, Object> config = Map.of(
                CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "it-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
            await().atMost(WAIT).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
                return !records.isEmpty();
            });
            assertThat(records).hasSize(1);
            return records.get(0).value();
        }
    }

    private static String unique(String name) {
        return name + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static Schema withoutField(Schema schema, String field) {
        List<Schema.Field> fields = schema.getFields().stream().filter(f -> !f.name().equals(field))
                .map(f -> new Schema.Field(f, f.schema())).collect(Collectors.toList());
        return Schema.createRecord(schema.getName(), schema.getDoc(), schema.getNamespace(), false, fields);
    }

    private static Schema withRequiredField(Schema schema, String field) {
        List<Schema.Field> fields = schema.getFields().stream().map(f -> new Schema.Field(f, f.schema()))
                .collect(Collectors.toCollection(ArrayList::new));
        fields.add(new Schema.Field(field, Schema.create(Schema.Type.STRING)));
        return Schema.createRecord(schema.getName(), schema.getDoc(), schema.getNamespace(), false, fields);
    }

    private static Envelope purchase() {
        Money total = Money.newBuilder().setAmount(new BigDecimal("39.9850")).setCurrency("EUR").build();
        return Envelope.newBuilder()
                .setEventId(UUID.randomUUID().toString())
                .setTenant("acme")
                .setSource(Source.newBuilder().setSystem("pos-berlin-01").setKind(SourceKind.DATABASE).build())
                .setEventType(EventType.PURCHASE)
                .setEventTime(Instant.parse("2025-03-01T10:15:30.123Z"))
                .setIngestionTime(Instant.parse("2025-03-01T10:15:31.456Z"))
                .setCustomerId("customer-42")
                .setSessionId(null)
                .setChannel(Channel.STORE)
                .setStoreId("berlin-01")
                .setPayload(Purchase.newBuilder().setOrderId("order-4711")
                        .setLineItems(List.of(LineItem.newBuilder().setProductId("sku-1").setQuantity(2)
                                .setUnitPrice(Money.newBuilder().setAmount(new BigDecimal("19.9925")).setCurrency("EUR").build())
                                .build()))
                        .setTotal(total).build())
                .build();
    }
}
