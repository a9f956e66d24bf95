package io.pulse.deploy.grafana;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PromQlMetricNamesTest {
    @Test
    void findsMetricNamesButNotFunctionsLabelsRangesOrVariables() {
        assertThat(PromQlMetricNames.of(
                "sum by (target, reason) (rate(pulse_ingest_delivery_dead_lettered_total{job=~\"$job\", state=\"open\"}[$__rate_interval]))"))
                .containsExactly("pulse_ingest_delivery_dead_lettered_total");
        assertThat(PromQlMetricNames.of("max(kafka_consumer_fetch_manager_records_lag_max{instance=~\"$instance\"}) by (instance)"))
                .containsExactly("kafka_consumer_fetch_manager_records_lag_max");
        assertThat(PromQlMetricNames.of("sum(jvm_memory_used_bytes{area=\"heap\"}) / sum(jvm_memory_max_bytes{area=\"heap\"}) * 100"))
                .containsExactly("jvm_memory_max_bytes", "jvm_memory_used_bytes");
        assertThat(PromQlMetricNames.of("histogram_quantile(0.99, sum by (le) (rate(http_server_requests_seconds_bucket[5m])))"))
                .containsExactly("http_server_requests_seconds_bucket");
        assertThat(PromQlMetricNames.of("a_total offset 5m and on (instance) b_total > bool 1e3"))
                .containsExactly("a_total", "b_total");
    }
}
