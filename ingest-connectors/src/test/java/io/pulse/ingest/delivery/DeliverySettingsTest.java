package io.pulse.ingest.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pulse.common.config.ConfigException;
import io.pulse.common.config.PulseConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DeliverySettingsTest {

    @Test
    void readsThePulseIngestKeys() {
        PulseConfig config = PulseConfig.load(Map.of(
                "pulse.data-dir", "/var/pulse",
                "pulse.ingest.outbox-max-mb", "64",
                "pulse.ingest.max-retries", "3",
                "pulse.ingest.retry-backoff", "250ms",
                "pulse.ingest.retry-max-backoff", "10s",
                "pulse.ingest.circuit-failure-rate", "80",
                "pulse.ingest.circuit-open-duration", "5s",
                "pulse.ingest.delivery-timeout", "12s"), Map.of(), Map.of());

        DeliverySettings s = DeliverySettings.from(config);

        assertThat(s.outboxDir()).isEqualTo(Path.of("/var/pulse/outbox"));
        assertThat(s.outboxMaxBytes()).isEqualTo(64L << 20);
        assertThat(s.maxRetries()).isEqualTo(3);
        assertThat(s.retryBackoff()).isEqualTo(Duration.ofMillis(250));
        assertThat(s.maxRetryBackoff()).isEqualTo(Duration.ofSeconds(10));
        assertThat(s.circuitFailureRate()).isEqualTo(80);
        assertThat(s.circuitOpenDuration()).isEqualTo(Duration.ofSeconds(5));
        assertThat(s.deliveryTimeout()).isEqualTo(Duration.ofSeconds(12));
        assertThat(config.describe()).containsEntry("pulse.ingest.outbox-dir", "/var/pulse/outbox");
    }

    @Test
    void theOutboxDirCanBeSetApartFromTheDataDir() {
        PulseConfig config = PulseConfig.load(Map.of("pulse.ingest.outbox-dir", "/mnt/ssd/outbox"), Map.of(), Map.of());

        assertThat(DeliverySettings.from(config).outboxDir()).isEqualTo(Path.of("/mnt/ssd/outbox"));
    }

    @Test
    void sendsInTransactionsWhereTheStreamsRunExactlyOnceAndNotWhereTheyRunAtLeastOnce() {
        PulseConfig exactlyOnce = PulseConfig.load(Map.of("pulse.streams.processing-guarantee", "exactly_once_v2",
                "pulse.streams.application-id", "pulse-insights"), Map.of(), Map.of());
        PulseConfig atLeastOnce = PulseConfig.load(Map.of("pulse.streams.processing-guarantee", "at_least_once"), Map.of(), Map.of());

        assertThat(DeliverySettings.from(exactlyOnce).transactionalId()).hasValueSatisfying(id ->
                assertThat(id).startsWith("pulse-ingest-pulse-insights-"));
        assertThat(DeliverySettings.from(atLeastOnce).transactionalId()).isEmpty();
        assertThat(DeliverySettings.defaults(Path.of("/tmp/pulse")).transactionalId()).isEmpty();
        assertThat(DeliverySettings.transactionalId("pulse-insights", "ingest-0")).isEqualTo("pulse-ingest-pulse-insights-ingest-0");
    }

    @Test
    void configurationErrorsNameTheKey() {
        assertThatThrownBy(() -> PulseConfig.load(Map.of(
                "pulse.ingest.max-retries", "-1",
                "pulse.ingest.retry-backoff", "2s",
                "pulse.ingest.retry-max-backoff", "1s",
                "pulse.ingest.delivery-timeout", "10ms"), Map.of(), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("'pulse.ingest.max-retries' must be a whole number from 0 to 1000, got '-1'")
                .hasMessageContaining("'pulse.ingest.retry-max-backoff' must be at least 'pulse.ingest.retry-backoff'")
                .hasMessageContaining("'pulse.ingest.delivery-timeout'");
    }

    @Test
    void settingsBuiltInCodeAreValidatedNamingTheKeyToo() {
        DeliverySettings defaults = DeliverySettings.defaults(Path.of("/tmp/pulse"));

        assertThatThrownBy(() -> defaults.withOutboxMaxBytes(1000))
                .hasMessageContaining("'pulse.ingest.outbox-max-mb' must be at least 1");
        assertThatThrownBy(() -> defaults.withCircuit(0, 5, Duration.ofSeconds(1)))
                .hasMessageContaining("'pulse.ingest.circuit-failure-rate' must be a percentage from 1 to 100, got '0'");
        assertThatThrownBy(() -> defaults.withRetries(3, Duration.ZERO, Duration.ofSeconds(1)))
                .hasMessageContaining("'pulse.ingest.retry-backoff' must be a positive duration");
        assertThat(defaults.outboxDir()).isEqualTo(Path.of("/tmp/pulse/outbox"));
    }
}
