package io.pulse.common.kafka;

import io.pulse.common.config.EventHubsConnectionString;
import io.pulse.common.config.KafkaAuth;
import io.pulse.common.config.PulseConfig;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.SslConfigs;

/**
 * The Kafka client properties every Pulse component uses, derived from the profile. One place knows
 * what Event Hubs' Kafka endpoint needs (see docs and design.md): SASL_SSL with PLAIN and
 * {@code $ConnectionString}, or OAUTHBEARER with Entra ID tokens ({@link EntraIdLoginCallbackHandler}), its timeouts,
 * a 1 MB request limit and no compression.
 */
public final class KafkaClientSettings {
    /** Event Hubs rejects requests over 1 MB. */
    public static final int EVENTHUBS_MAX_REQUEST_SIZE = 1_000_000;

    private final PulseConfig.Kafka kafka;

    public KafkaClientSettings(PulseConfig.Kafka kafka) {
        this.kafka = kafka;
    }

    public String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    public boolean isEventHubs() {
        return kafka.eventHubs();
    }

    /** The Event Hubs namespace host ({@code <ns>.servicebus.windows.net}) when on Event Hubs; never the secret. */
    public Optional<String> eventHubsNamespace() {
        return kafka.eventHubsNamespace();
    }

    /** Connection and security settings shared by producers, consumers, admin clients and Kafka Streams. */
    public Map<String, Object> common() {
        Map<String, Object> p = new HashMap<>();
        p.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        if (kafka.eventHubs()) {
            p.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_SSL");
            if (kafka.auth() == KafkaAuth.ENTRA_ID) {
                p.put(SaslConfigs.SASL_MECHANISM, "OAUTHBEARER");
                p.put(SaslConfigs.SASL_JAAS_CONFIG, "org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule required;");
                p.put(SaslConfigs.SASL_LOGIN_CALLBACK_HANDLER_CLASS, EntraIdLoginCallbackHandler.class.getName());
            } else {
                EventHubsConnectionString cs = kafka.eventHubsConnectionString().orElseThrow(() -> new IllegalStateException(
                        "Event Hubs with a connection string, but none was resolved"));
                p.put(SaslConfigs.SASL_MECHANISM, "PLAIN");
                p.put(SaslConfigs.SASL_JAAS_CONFIG, jaas(cs));
            }
            p.put(CommonClientConfigs.REQUEST_TIMEOUT_MS_CONFIG, 60_000);
            p.put(CommonClientConfigs.METADATA_MAX_AGE_CONFIG, 180_000);
            p.put(CommonClientConfigs.CONNECTIONS_MAX_IDLE_MS_CONFIG, 180_000);
        }
        kafka.truststoreLocation().ifPresent(ts -> {
            p.put(SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG, ts.toString());
            p.put(SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG, "PKCS12");
            kafka.truststorePassword().ifPresent(pw -> p.put(SslConfigs.SSL_TRUSTSTORE_PASSWORD_CONFIG, pw));
        });
        return p;
    }

    /** A durable, idempotent producer: acks=all, idempotence on, no compression on Event Hubs. */
    public Map<String, Object> producer(String clientId) {
        Map<String, Object> p = common();
        p.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "none");
        if (isEventHubs()) {
            p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, EVENTHUBS_MAX_REQUEST_SIZE);
        }
        return p;
    }

    /** A consumer in a group that commits its own offsets and only sees committed transactions. */
    public Map<String, Object> consumer(String groupId, String clientId) {
        Map<String, Object> p = common();
        p.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        if (isEventHubs()) {
            p.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 30_000);
        }
        return p;
    }

    public Map<String, Object> admin(String clientId) {
        Map<String, Object> p = common();
        p.put(CommonClientConfigs.CLIENT_ID_CONFIG, clientId);
        return p;
    }

    private static String jaas(EventHubsConnectionString cs) {
        // The connection string is the password; Event Hubs expects the literal user name $ConnectionString.
        return "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"$ConnectionString\" password=\""
                + cs.value().replace("\\", "\\\\").replace("\"", "\\\"") + "\";";
    }
}
