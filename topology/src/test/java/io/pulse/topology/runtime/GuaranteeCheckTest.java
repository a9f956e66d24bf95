package io.pulse.topology.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulse.common.config.ConfigKeys;
import io.pulse.common.config.PulseConfig;
import io.pulse.common.kafka.KafkaClientSettings;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

class GuaranteeCheckTest {

    @Test
    void probesWithTheTransactionTimeoutKafkaStreamsUsesUnderExactlyOnce() {
        Properties props = streamsProperties(Map.of());

        Object streamsOwn = new StreamsConfig(props).getProducerConfigs("probe").get(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG);

        assertThat(streamsOwn).isEqualTo(GuaranteeCheck.STREAMS_EOS_TRANSACTION_TIMEOUT_MS);
        assertThat(GuaranteeCheck.probeConfig(props, Duration.ofSeconds(7)))
                .containsEntry(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, GuaranteeCheck.STREAMS_EOS_TRANSACTION_TIMEOUT_MS)
                .containsEntry(ProducerConfig.MAX_BLOCK_MS_CONFIG, 7000L)
                .containsEntry(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "pulse-insights-guarantee-probe");
    }

    @Test
    void probesWithTheApplicationsConnectionAndItsProducerOverrides() {
        Properties props = streamsProperties(Map.of(ConfigKeys.KAFKA_BOOTSTRAP_SERVERS, "broker-1:9092,broker-2:9092"));
        props.put("security.protocol", "SASL_SSL");
        props.put(StreamsConfig.producerPrefix(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG), 20_000);

        Map<String, Object> probe = GuaranteeCheck.probeConfig(props, Duration.ofSeconds(5));

        assertThat(probe)
                .containsEntry(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "broker-1:9092,broker-2:9092")
                .containsEntry("security.protocol", "SASL_SSL")
                .containsEntry(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 20_000)
                .doesNotContainKeys(StreamsConfig.APPLICATION_ID_CONFIG, StreamsConfig.PROCESSING_GUARANTEE_CONFIG,
                        BoundedRocksDbConfig.CACHE_BYTES_CONFIG);
    }

    @Test
    void atLeastOnceNeedsNoBrokerAtAll() {
        // Nothing listens on port 1: a check that tried to connect would fail.
        Properties props = streamsProperties(Map.of(ConfigKeys.KAFKA_BOOTSTRAP_SERVERS, "localhost:1",
                ConfigKeys.STREAMS_GUARANTEE, "at_least_once"));

        GuaranteeCheck.verify(props, Duration.ofMillis(1));
    }

    private static Properties streamsProperties(Map<String, String> overrides) {
        PulseConfig config = PulseConfig.load(Map.of(), Map.of(), overrides);
        return StreamsProperties.of(config, new KafkaClientSettings(config.kafka()), null);
    }
}
