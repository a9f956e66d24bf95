package io.pulse.launcher.wiring;

import io.pulse.common.config.PulseConfig;
import io.pulse.common.kafka.KafkaClientSettings;
import io.pulse.common.kafka.TopicProvisioner;
import io.pulse.common.topics.TopicCatalogue;
import io.pulse.embedded.kafka.EmbeddedKafkaBroker;
import io.pulse.embedded.registry.EmbeddedSchemaRegistry;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import org.apache.kafka.clients.admin.Admin;

/**
 * The local profile's infrastructure: a Kafka broker (KRaft) with data under the data directory,
 * Pulse's topics, and the schema registry. What Event Hubs and an external registry are in production.
 */
public final class EmbeddedInfrastructure implements AutoCloseable {
    private final EmbeddedKafkaBroker broker;
    private final EmbeddedSchemaRegistry registry;
    private final KafkaClientSettings clients;

    private EmbeddedInfrastructure(EmbeddedKafkaBroker broker, EmbeddedSchemaRegistry registry, KafkaClientSettings clients) {
        this.broker = broker;
        this.registry = registry;
        this.clients = clients;
    }

    /** Starts the broker, creates missing topics, starts the registry; on failure stops what had started. */
    public static EmbeddedInfrastructure start(PulseConfig config) {
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder(config).build().start();
        try {
            KafkaClientSettings clients = new KafkaClientSettings(
                    new PulseConfig.Kafka(broker.bootstrapServers(), Optional.empty(), Optional.empty(), Optional.empty()));
            try (Admin admin = Admin.create(clients.admin("pulse-provisioner"))) {
                new TopicProvisioner(admin, (short) 1, Duration.ofSeconds(30)).ensure(TopicCatalogue.all());
            }
            EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.create(clients.common(), config.embedded().registryPort()).start();
            return new EmbeddedInfrastructure(broker, registry, clients);
        } catch (RuntimeException e) {
            broker.close();
            throw e;
        }
    }

    /** Client settings that reach this broker (its real port, also when 0 was asked for). */
    public KafkaClientSettings clients() {
        return clients;
    }

    public URI registryUrl() {
        return registry.url();
    }

    public String bootstrapServers() {
        return broker.bootstrapServers();
    }

    @Override
    public void close() {
        try {
            registry.close();
        } finally {
            broker.close();
        }
    }
}
