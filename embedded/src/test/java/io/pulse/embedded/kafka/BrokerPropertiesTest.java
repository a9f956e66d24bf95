package io.pulse.embedded.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import kafka.server.KafkaConfig;
import org.apache.kafka.common.config.types.Password;
import org.apache.kafka.common.network.ListenerName;
import org.apache.kafka.common.security.JaasContext;
import org.junit.jupiter.api.Test;

class BrokerPropertiesTest {
    private static final Path LOG_DIR = Path.of("/tmp/pulse-test/kafka");
    private static final SaslSslListener SASL_SSL = new SaslSslListener(9094, Path.of("/tmp/broker.p12"), "secret",
            Map.of("$ConnectionString", "Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKeyName=k;SharedAccessKey=a\"b\\c="));

    @Test
    void everyTopLevelSettingIsOneKafkaKnows() {
        Properties p = BrokerProperties.of(LOG_DIR, 9092, 9093, Optional.of(SASL_SSL), Duration.ofSeconds(30), Map.of());

        // A misspelt key is silently ignored by the broker; listener-prefixed keys are checked when the listener starts.
        assertThat(p.stringPropertyNames().stream().filter(k -> !k.startsWith("listener.name.")))
                .allSatisfy(key -> assertThat(KafkaConfig.configDef().names()).contains(key));
    }

    @Test
    void kafkaAcceptsTheConfigurationWithAndWithoutTheSaslSslListener() {
        assertThatCode(() -> KafkaConfig.fromProps(
                BrokerProperties.of(LOG_DIR, 9092, 9093, Optional.empty(), Duration.ofSeconds(30), Map.of()), false))
                .doesNotThrowAnyException();
        assertThatCode(() -> KafkaConfig.fromProps(
                BrokerProperties.of(LOG_DIR, 9092, 9093, Optional.of(SASL_SSL), Duration.ofSeconds(30), Map.of()), false))
                .doesNotThrowAnyException();
    }

    @Test
    void extraPropertiesOverrideTheSingleNodeDefaults() {
        Properties p = BrokerProperties.of(LOG_DIR, 9092, 9093, Optional.empty(), Duration.ofSeconds(30),
                Map.of("num.io.threads", "4", "log.retention.ms", "60000"));

        assertThat(p).containsEntry("num.io.threads", "4").containsEntry("log.retention.ms", "60000")
                .containsEntry("auto.create.topics.enable", "false");
    }

    @Test
    void plainJaasLetsKafkaReadTheDollarUserAndAPasswordWithQuotesAndBackslashes() {
        Properties p = BrokerProperties.of(LOG_DIR, 9092, 9093, Optional.of(SASL_SSL), Duration.ofSeconds(30), Map.of());
        // What the broker hands the listener: its settings with the "listener.name.sasl_ssl." prefix removed.
        Map<String, Object> configs = Map.of("plain.sasl.jaas.config",
                new Password(p.getProperty("listener.name.sasl_ssl.plain.sasl.jaas.config")));

        JaasContext context = JaasContext.loadServerContext(new ListenerName("SASL_SSL"), "PLAIN", configs);

        assertThat(context.configurationEntries()).singleElement()
                .satisfies(entry -> assertThat(entry.getOptions().get("user_$ConnectionString"))
                        .isEqualTo(SASL_SSL.users().get("$ConnectionString")));
    }
}
