package io.pulse.topology.stages;

import static io.pulse.topology.testkit.Envelopes.at;
import static io.pulse.topology.testkit.Envelopes.pageView;
import static io.pulse.topology.testkit.Envelopes.purchase;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.pulse.avro.WindowedMetrics;
import io.pulse.common.topics.StoreNames;
import io.pulse.common.topics.TopicCatalogue;
import io.pulse.topology.TopologySettings;
import io.pulse.topology.testkit.StageTestKit;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TenantEventCountStageTest {
    private final StageTestKit kit = new StageTestKit(TopologySettings.withGrace(Duration.ofSeconds(30)));

    @AfterEach
    void close() {
        kit.close();
    }

    @Test
    void countsEachTenantsEventsPerMinuteOfEventTime() {
        kit.send(
                pageView("contoso", "10:00:05").build(),
                pageView("contoso", "10:00:59").build(),
                pageView("fabrikam", "10:00:30").build(),
                purchase("contoso", "10:01:00", "19.99", "EUR").build());

        assertThat(kit.<Long>windows(StoreNames.TENANT_EVENT_COUNTS_1M, "contoso"))
                .containsExactly(KeyValue.pair(at("10:00:00"), 2L), KeyValue.pair(at("10:01:00"), 1L));
        assertThat(kit.<Long>windows(StoreNames.TENANT_EVENT_COUNTS_1M, "fabrikam"))
                .containsExactly(KeyValue.pair(at("10:00:00"), 1L));
    }

    @Test
    void usesTheEnvelopesEventTimeNotTheRecordTimestamp() {
        // Event Hubs stamps append time: a record written at 10:05 about an event at 10:00:10 counts at 10:00.
        kit.input(TopicCatalogue.EVENTS).pipeInput("contoso", pageView("contoso", "10:00:10").build(), at("10:05:00"));

        assertThat(kit.<Long>windows(StoreNames.TENANT_EVENT_COUNTS_1M, "contoso"))
                .containsExactly(KeyValue.pair(at("10:00:00"), 1L));
    }

    @Test
    void countsOutOfOrderEventsWithinGraceInTheirOwnWindow() {
        kit.send(
                pageView("contoso", "10:00:50").build(),
                pageView("contoso", "10:01:20").build(),
                pageView("contoso", "10:00:55").build()); // 25 s behind stream time, grace is 30 s

        assertThat(kit.<Long>windows(StoreNames.TENANT_EVENT_COUNTS_1M, "contoso"))
                .containsExactly(KeyValue.pair(at("10:00:00"), 2L), KeyValue.pair(at("10:01:00"), 1L));
    }

    @Test
    void leavesClosedWindowsUnchangedByEventsLaterThanGrace() {
        kit.send(
                pageView("contoso", "10:00:10").build(),
                pageView("contoso", "10:02:00").build(),  // stream time passes 10:01:00 + 30 s grace
                pageView("contoso", "10:00:20").build()); // too late for the 10:00 window

        assertThat(kit.<Long>windows(StoreNames.TENANT_EVENT_COUNTS_1M, "contoso"))
                .containsExactly(KeyValue.pair(at("10:00:00"), 1L), KeyValue.pair(at("10:02:00"), 1L));
    }

    @Test
    void publishesProvisionalUpdatesAndOneFinalValuePerWindow() {
        kit.send(
                pageView("contoso", "10:00:05").build(),
                pageView("contoso", "10:00:40").build(),
                pageView("contoso", "10:01:10").build(),  // window 10:00 still within grace
                pageView("contoso", "10:01:31").build()); // stream time 10:01:31 > 10:01:00 + 30 s: 10:00 closes

        List<WindowedMetrics> out = kit.metrics();

        assertThat(out).extracting(WindowedMetrics::getWindowStart, WindowedMetrics::getEvents, WindowedMetrics::getFinal$)
                .containsExactly(
                        tuple(at("10:00:00"), 1L, false),
                        tuple(at("10:00:00"), 2L, false),
                        tuple(at("10:01:00"), 1L, false),
                        tuple(at("10:01:00"), 2L, false),
                        tuple(at("10:00:00"), 2L, true));
        assertThat(out).allSatisfy(m -> {
            assertThat(m.getTenant()).isEqualTo("contoso");
            assertThat(m.getWindowSize()).isEqualTo("PT1M");
            assertThat(m.getWindowEnd()).isEqualTo(m.getWindowStart().plus(Duration.ofMinutes(1)));
        });
    }
}
