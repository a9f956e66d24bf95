package io.pulse.embedded.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.pulse.common.config.ConfigKeys;
import io.pulse.common.config.PulseConfig;
import io.pulse.common.kafka.KafkaClientSettings;
import io.pulse.common.kafka.KafkaConnectivityCheck;
import io.pulse.common.kafka.KafkaConnectivityException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The start-up check against an address where no broker listens (the SASL and TLS cases are in {@link EventHubsProfileIT}). */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class KafkaConnectivityCheckIT {

    @Test
    void nothingListeningFailsWithinTheTimeoutNamingTheAddressAndTheKey() throws IOException {
        int port = unusedPort();
        PulseConfig config = PulseConfig.load(Map.of(), Map.of(),
                Map.of(ConfigKeys.KAFKA_BOOTSTRAP_SERVERS, "localhost:" + port));
        long started = System.nanoTime();

        KafkaConnectivityException e = catchThrowableOfType(KafkaConnectivityException.class,
                () -> KafkaConnectivityCheck.verify(new KafkaClientSettings(config.kafka()), Duration.ofSeconds(2)));

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
        assertThat(e.reason()).isEqualTo(KafkaConnectivityException.Reason.TIMEOUT);
        assertThat(e.getMessage()).isEqualTo("no Kafka broker answered at localhost:" + port
                + " within 2s; is it running? (" + ConfigKeys.KAFKA_BOOTSTRAP_SERVERS + ")");
    }

    private static int unusedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
