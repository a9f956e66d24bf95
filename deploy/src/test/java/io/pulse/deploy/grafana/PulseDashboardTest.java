package io.pulse.deploy.grafana;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The dashboard imports into Grafana as it is: datasource chosen by a variable, unique ids, laid-out panels. */
class PulseDashboardTest {
    private final PulseDashboard dashboard = PulseDashboard.load();

    @Test
    void usesAPrometheusDatasourceVariableAndARecentSchema() {
        assertThat(dashboard.json().path("schemaVersion").asInt()).isBetween(36, 41);
        assertThat(dashboard.json().path("uid").asText()).isNotBlank();
        List<JsonNode> variables = new ArrayList<>();
        dashboard.json().path("templating").path("list").forEach(variables::add);
        assertThat(variables).anySatisfy(v -> {
            assertThat(v.path("type").asText()).isEqualTo("datasource");
            assertThat(v.path("query").asText()).isEqualTo("prometheus");
            assertThat(v.path("name").asText()).isEqualTo("datasource");
        });
    }

    @Test
    void everyDataPanelAndQueryReadsThePrometheusVariable() {
        assertThat(dashboard.dataPanels()).isNotEmpty().allSatisfy(p -> {
            assertThat(p.path("datasource").path("uid").asText()).as("datasource of panel '%s'", p.path("title").asText())
                    .isEqualTo("${datasource}");
            assertThat(p.path("targets")).as("queries of panel '%s'", p.path("title").asText()).isNotEmpty()
                    .allSatisfy(t -> {
                        assertThat(t.path("datasource").path("uid").asText()).isEqualTo("${datasource}");
                        assertThat(t.path("expr").asText()).isNotBlank();
                        assertThat(PromQlMetricNames.of(t.path("expr").asText())).as("metrics of '%s'", t.path("expr").asText()).isNotEmpty();
                    });
        });
    }

    @Test
    void everyPanelHasAUniqueIdAndAPlaceOnTheGrid() {
        List<Integer> ids = dashboard.panels().stream().map(p -> p.path("id").asInt(-1)).toList();
        assertThat(ids).doesNotContain(-1).doesNotHaveDuplicates();
        assertThat(dashboard.panels()).allSatisfy(p -> {
            JsonNode g = p.path("gridPos");
            assertThat(g.path("h").asInt()).as("gridPos.h of '%s'", p.path("title").asText()).isPositive();
            assertThat(g.path("w").asInt()).as("gridPos.w of '%s'", p.path("title").asText()).isBetween(1, 24);
            assertThat(g.path("x").asInt(-1) + g.path("w").asInt()).as("right edge of '%s'", p.path("title").asText()).isBetween(1, 24);
            assertThat(g.path("y").asInt(-1)).as("gridPos.y of '%s'", p.path("title").asText()).isNotNegative();
        });
    }

    @Test
    void coversIngestDeliveryKafkaStreamsAndTheJvm() {
        assertThat(dashboard.metricNames()).contains(
                "pulse_ingest_delivery_delivered_total", "pulse_ingest_delivery_refused_total", "pulse_ingest_delivery_dead_lettered_total",
                "pulse_ingest_delivery_outbox_events", "pulse_ingest_delivery_circuit_state",
                "kafka_stream_thread_process_rate", "kafka_stream_thread_commit_latency_avg", "jvm_memory_used_bytes");
    }
}
