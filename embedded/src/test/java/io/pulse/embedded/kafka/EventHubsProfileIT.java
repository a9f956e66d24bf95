package io.pulse.embedded.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import io.pulse.common.config.ConfigKeys;
import io.pulse.common.config.PulseConfig;
import io.pulse.common.kafka.KafkaClientSettings;
import io.pulse.common.kafka.KafkaConnectivityCheck;
import io.pulse.common.kafka.KafkaConnectivityException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code eventhubs} profile against a local broker that authenticates the way Event Hubs does: SASL PLAIN
 * over TLS, user {@code $ConnectionString}, the namespace's connection string as password. The client side is
 * built exactly as production builds it, from {@link PulseConfig} and {@link KafkaClientSettings}.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class EventHubsProfileIT {
    private static final String NAMESPACE = "pulse-test.servicebus.windows.net";
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    static Path dir;
    private static TestCertificates.Tls tls;
    private static String sharedAccessKey;
    private static EmbeddedKafkaBroker broker;

    @BeforeAll
    static void startBrokerWithEventHubsStyleListener() throws Exception {
        tls = TestCertificates.create(dir);
        sharedAccessKey = randomKey();
        broker = EmbeddedKafkaBroker.builder(dir)
                .saslSslListener(new SaslSslListener(0, tls.keyStore(), tls.keyStorePassword(),
                        Map.of("$ConnectionString", connectionString(sharedAccessKey))))
                .build()
                .start();
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void producesAndConsumesWithTheConnectionStringOverSaslSsl() throws Exception {
        KafkaClientSettings settings = eventHubsSettings(connectionString(sharedAccessKey), true);
        assertThat(settings.isEventHubs()).isTrue();
        assertThat(settings.common()).containsEntry("security.protocol", "SASL_SSL").containsEntry("sasl.mechanism", "PLAIN");
        KafkaConnectivityCheck.verify(settings, WAIT);

        String topic = "engagement-" + UUID.randomUUID();
        try (Admin admin = Admin.create(settings.admin("it-admin"))) {
            admin.createTopics(List.of(new NewTopic(topic, 2, (short) 1))).all().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        }
        try (KafkaProducer<String, String> producer =
                     new KafkaProducer<>(settings.producer("it-producer"), new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(topic, "contoso", "visit")).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        }

        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(
                settings.consumer("it-group-" + UUID.randomUUID(), "it-consumer"), new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            await().atMost(WAIT).until(() -> {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    values.add(r.key() + "=" + r.value());
                }
                return !values.isEmpty();
            });
        }
        assertThat(values).containsExactly("contoso=visit");
    }

    @Test
    void wrongSharedAccessKeyFailsWithAMessageNamingTheNamespaceButNotTheKey() {
        String wrongKey = randomKey();
        KafkaClientSettings settings = eventHubsSettings(connectionString(wrongKey), true);

        KafkaConnectivityException e = catchThrowableOfType(KafkaConnectivityException.class,
                () -> KafkaConnectivityCheck.verify(settings, WAIT));

        assertThat(e.reason()).isEqualTo(KafkaConnectivityException.Reason.AUTHENTICATION);
        assertThat(e.getMessage())
                .contains("Event Hubs namespace '" + NAMESPACE + "' rejected the credentials")
                .contains(ConfigKeys.EVENTHUBS_CONNECTION_STRING_ENV)
                .contains("SharedAccessKey")
                .doesNotContain(wrongKey)
                .doesNotContain(sharedAccessKey);
    }

    @Test
    void untrustedBrokerCertificateFailsWithAMessageAboutTheTrustStore() {
        KafkaClientSettings settings = eventHubsSettings(connectionString(sharedAccessKey), false);

        KafkaConnectivityException e = catchThrowableOfType(KafkaConnectivityException.class,
                () -> KafkaConnectivityCheck.verify(settings, WAIT));

        assertThat(e.reason()).isEqualTo(KafkaConnectivityException.Reason.TLS);
        assertThat(e.getMessage()).contains("TLS handshake").contains(ConfigKeys.KAFKA_TRUSTSTORE_LOCATION)
                .doesNotContain(sharedAccessKey);
    }

    /** Client settings as production builds them for profile eventhubs, pointed at the local SASL_SSL listener. */
    private static KafkaClientSettings eventHubsSettings(String connectionString, boolean trustTestCertificate) {
        Map<String, String> env = Map.of(
                "PULSE_PROFILE", "eventhubs",
                ConfigKeys.EVENTHUBS_CONNECTION_STRING_ENV, connectionString,
                "PULSE_LAKE_PSEUDONYMISATION_KEY", "integration-test-pseudonymisation-key");
        Map<String, String> overrides = new HashMap<>();
        overrides.put(ConfigKeys.KAFKA_BOOTSTRAP_SERVERS, broker.saslSslBootstrapServers().orElseThrow());
        overrides.put(ConfigKeys.DATA_DIR, dir.toString());
        // The eventhubs profile also needs the API's OIDC issuer; its values don't matter to the Kafka clients tested here.
        overrides.put(ConfigKeys.API_AUTH_ISSUER, "https://login.microsoftonline.com/test-tenant/v2.0");
        overrides.put(ConfigKeys.API_AUTH_AUDIENCE, "api://pulse-insights");
        overrides.put(ConfigKeys.API_AUTH_JWKS_URL, "https://login.microsoftonline.com/test-tenant/discovery/v2.0/keys");
        if (trustTestCertificate) {
            overrides.put(ConfigKeys.KAFKA_TRUSTSTORE_LOCATION, tls.trustStore().toString());
            overrides.put(ConfigKeys.KAFKA_TRUSTSTORE_PASSWORD, tls.trustStorePassword());
        }
        PulseConfig config = PulseConfig.load(Map.of(), env, overrides);
        return new KafkaClientSettings(config.kafka());
    }

    private static String connectionString(String key) {
        return "Endpoint=sb://" + NAMESPACE + "/;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=" + key;
    }

    private static String randomKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }
}
