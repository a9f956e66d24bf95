package io.pulse.topology.spine;

import static io.pulse.topology.spine.SpineProbe.counters;
import static io.pulse.topology.spine.SpineProbe.passedIds;
import static io.pulse.common.testing.Envelopes.addToCart;
import static io.pulse.common.testing.Envelopes.at;
import static io.pulse.common.testing.Envelopes.pageView;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.pulse.avro.Customer;
import io.pulse.avro.Envelope;
import io.pulse.avro.SpineCounters;
import io.pulse.common.kafka.DeadLetterHeaders;
import io.pulse.common.kafka.LateEventHeaders;
import io.pulse.common.topics.StoreNames;
import io.pulse.common.topics.TopicCatalogue;
import io.pulse.topology.TopologySettings;
import io.pulse.topology.testkit.StageTestKit;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LatenessGateStageTest {
    private final StageTestKit kit = SpineProbe.kit(TopologySettings.withGrace(Duration.ofSeconds(30)));

    @AfterEach
    void close() {
        kit.close();
    }

    @Test
    void passesOutOfOrderEventsWithinGrace() {
        List<Envelope> events = List.of(
                pageView("contoso", "10:00:50").build(),
                pageView("contoso", "10:01:20").build(),
                pageView("contoso", "10:00:55").build(),   // 25 s behind
                pageView("contoso", "10:00:50").build());  // exactly the grace behind: still on time

        kit.send(events.toArray(Envelope[]::new));

        assertThat(passedIds(kit)).containsExactlyElementsOf(events.stream().map(Envelope::getEventId).toList());
        assertThat(kit.output(TopicCatalogue.LATE_EVENTS).isEmpty()).isTrue();
        assertThat(counters(kit, "contoso")).containsExactly(0L, 0L, 0L);
    }

    @Test
    void sendsEventsOlderThanGraceToLateEventsSayingHowLate() {
        Envelope late = pageView("contoso", "10:00:20").build();
        Envelope justLate = pageView("contoso", "10:01:29.999").build();

        kit.send(pageView("contoso", "10:00:10").build(), pageView("contoso", "10:02:00").build(), late, justLate);

        assertThat(passedIds(kit)).hasSize(2).doesNotContain(late.getEventId(), justLate.getEventId());
        List<TestRecord<String, Envelope>> out = kit.output(TopicCatalogue.LATE_EVENTS).readRecordsToList();
        assertThat(out).extracting(TestRecord::key, TestRecord::value).containsExactly(
                tuple("contoso", late), tuple("contoso", justLate));
        TestRecord<String, Envelope> first = out.get(0);
        assertThat(first.getRecordTime()).as("keeps its event time").isEqualTo(at("10:00:20"));
        assertThat(DeadLetterHeaders.text(first.headers(), LateEventHeaders.LATENESS_MS)).isEqualTo("100000");
        assertThat(DeadLetterHeaders.text(first.headers(), LateEventHeaders.STREAM_TIME)).isEqualTo("2026-11-21T10:02:00Z");
        assertThat(DeadLetterHeaders.text(first.headers(), LateEventHeaders.GRACE_MS)).isEqualTo("30000");
        assertThat(DeadLetterHeaders.text(out.get(1).headers(), LateEventHeaders.LATENESS_MS)).isEqualTo("30001");
        assertThat(counters(kit, "contoso")).containsExactly(0L, 0L, 2L);
        assertThat(kit.<Long>keyValueStore(LatenessGateStage.STREAM_TIME_STORE).get("stream-time")).isEqualTo(at("10:02:00").toEpochMilli());
    }

    @Test
    void measuresStreamTimePerPartitionLikeTheWindowsDo() {
        // Both tenants share the test driver's one partition, as tenants share a partition in production:
        // the windows downstream see one stream time for both, so the gate must too.
        Envelope contosos = pageView("contoso", "10:00:00").build();

        kit.send(pageView("fabrikam", "10:05:00").build(), contosos);

        assertThat(kit.output(TopicCatalogue.LATE_EVENTS).readValuesToList()).containsExactly(contosos);
        assertThat(counters(kit, "contoso")).containsExactly(0L, 0L, 1L);
        assertThat(counters(kit, "fabrikam")).containsExactly(0L, 0L, 0L);
    }

    @Test
    void measuresStreamTimeOnlyOnValidFirstCopies() {
        Envelope onTime = pageView("contoso", "10:00:10").build();
        kit.send(
                pageView("contoso", "10:00:00").build(),
                pageView("contoso", "10:00:01").setEventTime(Instant.parse("2099-01-01T00:00:00Z")).build(), // rejected: future
                addToCart("contoso", "10:05:00", "sku-1", "1", "euro").build(),                               // rejected: currency
                onTime);

        assertThat(passedIds(kit)).hasSize(2).endsWith(onTime.getEventId());
        assertThat(kit.output(TopicCatalogue.LATE_EVENTS).isEmpty()).isTrue();
        assertThat(counters(kit, "contoso")).containsExactly(2L, 0L, 0L);
    }

    @Test
    void keepsEachTenantsNewestPassedEventTimeForTheApi() {
        kit.send(
                pageView("contoso", "10:00:50").build(),
                pageView("contoso", "10:01:20").build(),
                pageView("contoso", "10:00:55").build(),                                                      // on time, older
                pageView("contoso", "10:00:01").setEventTime(Instant.parse("2099-01-01T00:00:00Z")).build(), // rejected: future
                pageView("fabrikam", "10:01:40").build(),
                pageView("contoso", "10:00:30").build());                                                     // late: 70 s behind

        assertThat(newestEventTime("contoso")).isEqualTo(at("10:01:20"));
        assertThat(newestEventTime("fabrikam")).isEqualTo(at("10:01:40"));
        assertThat(newestEventTime("northwind")).isNull();
        assertThat(counters(kit, "contoso")).containsExactly(1L, 0L, 1L);
    }

    private Instant newestEventTime(String tenant) {
        SpineCounters c = kit.<SpineCounters>keyValueStore(StoreNames.SPINE_TENANT_COUNTERS).get(tenant);
        return c == null ? null : c.getNewestEventTime();
    }

    @Test
    void isNotMovedByReferenceDataReadInTheSameTask() {
        Envelope onTime = pageView("contoso", "10:00:05").build();
        kit.send(pageView("contoso", "10:00:00").build());
        // A CRM update written at 10:30 (broker time) is read by the same task as the events.
        kit.input(TopicCatalogue.CUSTOMERS).pipeInput("contoso/c-1",
                Customer.newBuilder().setTenant("contoso").setCustomerId("c-1").setTier("gold").build(), at("10:30:00"));
        kit.send(onTime);

        assertThat(passedIds(kit)).hasSize(2).endsWith(onTime.getEventId());
        assertThat(kit.output(TopicCatalogue.LATE_EVENTS).isEmpty()).isTrue();
    }
}
