package io.pulse.deploy.grafana;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pulse.common.config.ConfigKeys;
import io.pulse.common.config.PulseConfig;
import io.pulse.launcher.wiring.EmbeddedInfrastructure;
import io.pulse.launcher.wiring.PulsePipeline;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every metric the Grafana dashboard queries is one Pulse exposes: a real Pulse process (every component, on the
 * embedded broker, as {@code ./pulse demo} wires it) is scraped on GET /metrics, so the names come from the code
 * that registers the meters and binders, not from a copy of them.
 */
class PulseDashboardMetricsIT {
    @TempDir
    Path dataDir;

    @Test
    void everyMetricTheDashboardQueriesIsExposedOnMetrics() throws Exception {
        Set<String> queried = PulseDashboard.load().metricNames();
        PulseConfig config = PulseConfig.load(Map.of(), Map.of(), Map.of(
                ConfigKeys.DATA_DIR, dataDir.toString(),
                ConfigKeys.BROKER_PORT, "0",
                ConfigKeys.CONTROLLER_PORT, "0",
                ConfigKeys.REGISTRY_PORT, "0",
                ConfigKeys.API_PORT, "0",
                ConfigKeys.GENERATOR_RATE, "0"));
        try (EmbeddedInfrastructure infrastructure = EmbeddedInfrastructure.start(config);
             PulsePipeline pulse = PulsePipeline.start(config, infrastructure.clients(), infrastructure.registryUrl())) {
            int port = pulse.apiPort();
            // Kafka Streams' metrics are bound when its threads exist; poll until all are there or the deadline passes,
            // then let the assertion name what is missing.
            AtomicReference<Set<String>> last = new AtomicReference<>(Set.of());
            try {
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> {
                    last.set(PulseMetricsScrape.names(PulseMetricsScrape.fetch(port)));
                    return last.get().containsAll(queried);
                });
            } catch (ConditionTimeoutException e) {
                // reported below
            }
            Set<String> exposed = last.get();
            System.out.println("[dashboard metrics] GET /metrics exposes " + exposed.size() + " metric names; the dashboard queries "
                    + queried.size() + ": " + queried);
            assertThat(queried).as("metrics queried by deploy/grafana/pulse-dashboard.json that GET /metrics exposes")
                    .isNotEmpty().isSubsetOf(exposed);
        }
    }
}
