package io.pulse.topology.spine;

import static io.pulse.topology.spine.SpineProbe.counters;
import static io.pulse.common.testing.Envelopes.addToCart;
import static io.pulse.common.testing.Envelopes.at;
import static io.pulse.common.testing.Envelopes.pageView;
import static org.assertj.core.api.Assertions.assertThat;

import io.pulse.avro.Envelope;
import io.pulse.avro.MetricsState;
import io.pulse.common.topics.StoreNames;
import io.pulse.common.topics.TopicCatalogue;
import io.pulse.topology.TopologySettings;
import io.pulse.topology.testkit.StageTestKit;
import java.time.Duration;
import org.apache.kafka.streams.KeyValue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The spine inside the whole assembled topology: what it keeps away never reaches a metric. */
class SpineTest {
    private final StageTestKit kit = new StageTestKit(TopologySettings.withGrace(Duration.ofSeconds(30)));

    @AfterEach
    void close() {
        kit.close();
    }

    @Test
    void keepsRejectsDuplicatesAndLateEventsAwayFromTheMetrics() {
        Envelope first = pageView("contoso", "10:00:05").build();
        Envelope invalid = addToCart("contoso", "10:00:10", "sku-1", "1", "euro").build();
        Envelope late = pageView("contoso", "10:00:20").build();

        kit.send(first, invalid, first, pageView("contoso", "10:02:00").build(), late);

        assertThat(kit.<MetricsState>windows(StoreNames.WINDOWED_METRICS_TENANT_1M, "contoso").stream()
                .map(w -> KeyValue.pair(w.key, w.value.getEvents())))
                .containsExactly(KeyValue.pair(at("10:00:00"), 1L), KeyValue.pair(at("10:02:00"), 1L));
        assertThat(kit.output(TopicCatalogue.REJECTS).readValuesToList()).containsExactly(invalid);
        assertThat(kit.output(TopicCatalogue.LATE_EVENTS).readValuesToList()).containsExactly(late);
        assertThat(counters(kit, "contoso")).as("rejected, duplicates, late").containsExactly(1L, 1L, 1L);
    }
}
