package io.pulse.topology.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulse.common.config.ConfigKeys;
import io.pulse.common.config.PulseConfig;
import io.pulse.common.kafka.KafkaClientSettings;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

class StreamsPropertiesTest {

    @Test
    void keepsOneStandbyOfEveryStoreByDefaultAndTheConfiguredNumberOtherwise() {
        assertThat(properties(Map.of()).get(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG)).isEqualTo(1);
        assertThat(properties(Map.of(ConfigKeys.STREAMS_STANDBY_REPLICAS, "2")).get(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG)).isEqualTo(2);
        assertThat(properties(Map.of(ConfigKeys.STREAMS_STANDBY_REPLICAS, "0")).get(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG)).isEqualTo(0);
    }

    @Test
    void advertisesTheApiAddressForQueryRoutingAndBoundsTheRecoveryLag() {
        Properties p = properties(Map.of());

        assertThat(p.get(StreamsConfig.APPLICATION_SERVER_CONFIG)).isEqualTo("localhost:7070");
        assertThat(p.get(StreamsConfig.ACCEPTABLE_RECOVERY_LAG_CONFIG)).isEqualTo(StreamsProperties.ACCEPTABLE_RECOVERY_LAG);
        // What Kafka Streams accepts: the values parse and validate as StreamsConfig.
        assertThat(new StreamsConfig(p).getLong(StreamsConfig.ACCEPTABLE_RECOVERY_LAG_CONFIG)).isEqualTo(10_000L);
    }

    private static Properties properties(Map<String, String> overrides) {
        PulseConfig config = PulseConfig.load(Map.of(), Map.of(), overrides);
        return StreamsProperties.of(config, new KafkaClientSettings(config.kafka()), "localhost:7070");
    }
}
