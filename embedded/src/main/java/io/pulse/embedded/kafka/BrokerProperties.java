package io.pulse.embedded.kafka;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * The server configuration of a single-node KRaft broker (broker and controller in one process) sized for
 * a laptop or a test JVM: every replication factor and ISR is 1, internal topics have few partitions,
 * thread pools and the log cleaner's buffer are small.
 */
final class BrokerProperties {
    static final int NODE_ID = 1;
    static final String HOST = "localhost";
    static final String CLIENT_LISTENER = "PLAINTEXT";
    static final String CONTROLLER_LISTENER = "CONTROLLER";

    private BrokerProperties() {
    }

    static Properties of(Path logDir, int brokerPort, int controllerPort, Optional<SaslSslListener> saslSsl,
                         Duration startupTimeout, Map<String, String> extra) {
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", Integer.toString(NODE_ID));
        p.put("controller.quorum.voters", NODE_ID + "@" + HOST + ":" + controllerPort);
        p.put("controller.listener.names", CONTROLLER_LISTENER);
        p.put("inter.broker.listener.name", CLIENT_LISTENER);
        p.put("log.dirs", logDir.toString());
        p.put("server.max.startup.time.ms", Long.toString(startupTimeout.toMillis()));

        String listeners = CLIENT_LISTENER + "://" + HOST + ":" + brokerPort;
        String advertised = listeners;
        String protocols = CLIENT_LISTENER + ":PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT";
        if (saslSsl.isPresent()) {
            SaslSslListener l = saslSsl.get();
            String endpoint = SaslSslListener.NAME + "://" + HOST + ":" + l.port();
            listeners += "," + endpoint;
            advertised += "," + endpoint;
            protocols += "," + SaslSslListener.NAME + ":SASL_SSL";
            putSaslSsl(p, l);
        }
        p.put("listeners", listeners + "," + CONTROLLER_LISTENER + "://" + HOST + ":" + controllerPort);
        p.put("advertised.listeners", advertised);
        p.put("listener.security.protocol.map", protocols);

        // One node: nothing can be replicated, so every factor and ISR is 1. Transactions need the
        // transaction state log, which Kafka Streams' exactly_once_v2 relies on.
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "5");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("transaction.state.log.num.partitions", "5");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("min.insync.replicas", "1");
        p.put("default.replication.factor", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        // Pulse provisions every topic from its catalogue, as it must on Event Hubs.
        p.put("auto.create.topics.enable", "false");

        // Modest footprint: it shares the JVM with the demo or with tests, on a 2-core machine.
        p.put("num.network.threads", "2");
        p.put("num.io.threads", "2");
        p.put("background.threads", "2");
        p.put("num.recovery.threads.per.data.dir", "1");
        p.put("log.cleaner.threads", "1");
        p.put("log.cleaner.dedupe.buffer.size", Integer.toString(8 * 1024 * 1024)); // default 128 MiB of heap

        p.putAll(extra);
        return p;
    }

    private static void putSaslSsl(Properties p, SaslSslListener l) {
        String prefix = "listener.name." + SaslSslListener.NAME.toLowerCase(java.util.Locale.ROOT) + ".";
        p.put("sasl.enabled.mechanisms", "PLAIN");
        p.put(prefix + "sasl.enabled.mechanisms", "PLAIN");
        p.put(prefix + "plain.sasl.jaas.config", plainJaas(l.users()));
        p.put(prefix + "ssl.keystore.type", "PKCS12");
        p.put(prefix + "ssl.keystore.location", l.keyStore().toString());
        p.put(prefix + "ssl.keystore.password", l.keyStorePassword());
        p.put(prefix + "ssl.key.password", l.keyStorePassword());
    }

    /**
     * Kafka's own PLAIN server callback checks the password against a {@code user_<name>} option. Its JAAS
     * parser takes '$' in option names, so Event Hubs' {@code $ConnectionString} user needs no custom handler.
     */
    static String plainJaas(Map<String, String> users) {
        StringBuilder jaas = new StringBuilder("org.apache.kafka.common.security.plain.PlainLoginModule required");
        users.forEach((user, password) -> jaas.append(" user_").append(user).append("=\"").append(quoted(password)).append('"'));
        return jaas.append(';').toString();
    }

    private static String quoted(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"");
    }
}
