package io.pulse.topology.stages;

import static io.pulse.common.testing.Envelopes.at;
import static io.pulse.common.testing.Envelopes.pageView;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.pulse.avro.ActiveCustomers;
import io.pulse.avro.Envelope;
import io.pulse.common.topics.StoreNames;
import io.pulse.common.topics.TopicCatalogue;
import io.pulse.topology.TopologySettings;
import io.pulse.topology.testkit.StageTestKit;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Day D is 2026-11-21 throughout; the daily grace (hourlyWindowGrace) is 2 minutes, the lateness gate's 30 s. */
class ActiveCustomersStageTest {
    private static final String D = "2026-11-21";
    private final StageTestKit kit = new StageTestKit(TopologySettings.withGrace(Duration.ofSeconds(30)));

    @AfterEach
    void close() {
        kit.close();
    }

    @Test
    void countsDistinctCustomersOfTheDayTheLastSevenAndTheLastThirtyDays() {
        kit.send(
                visit("2026-10-22", "12:00:00", "c-too-old"),   // D-30: outside the month
                visit("2026-10-23", "12:00:00", "c-month-edge"), // D-29: first day of the month
                visit("2026-11-10", "12:00:00", "c-month"),
                visit("2026-11-14", "12:00:00", "c-week-before"), // D-7: outside the week
                visit("2026-11-15", "12:00:00", "c-2"),          // D-6: first day of the week
                visit("2026-11-17", "12:00:00", "c-week"),
                visit(D, "09:00:00", "c-1"),
                visit(D, "10:00:00", "c-2"),
                visit(D, "11:00:00", "c-1"),
                visit("2026-11-22", "00:02:00", "c-next-day"));  // D closes (end + 2 minutes)

        ActiveCustomers d = finalOf(D);

        assertThat(d.getDailyActive()).isEqualTo(2);
        assertThat(d.getWeeklyActive()).isEqualTo(3);   // c-1, c-2, c-week
        assertThat(d.getMonthlyActive()).isEqualTo(6);  // + c-week-before, c-month, c-month-edge
        assertThat(d.getDauOverWau()).isEqualTo(2.0 / 3);
        assertThat(d.getDauOverMau()).isEqualTo(2.0 / 6);
        assertThat(d.getDayEnd()).isEqualTo(at("2026-11-22", "00:00:00"));
    }

    @Test
    void countsACustomerActiveOnManyDaysOnce() {
        kit.send(visit("2026-11-01", "12:00:00", "c-loyal"));
        for (int day = 14; day <= 21; day++) {  // every day of the week and the day before it
            kit.send(visit(String.format("2026-11-%02d", day), "12:00:00", "c-loyal"));
        }
        kit.send(visit("2026-11-22", "00:02:00", "c-loyal"));

        ActiveCustomers d = finalOf(D);

        assertThat(d).extracting(ActiveCustomers::getDailyActive, ActiveCustomers::getWeeklyActive, ActiveCustomers::getMonthlyActive,
                        ActiveCustomers::getDauOverWau, ActiveCustomers::getDauOverMau)
                .containsExactly(1L, 1L, 1L, 1.0, 1.0);
    }

    @Test
    void publishesProvisionalUpdatesAndOneFinalPerDay() {
        kit.send(
                visit("2026-11-20", "10:00:00", "c-1"),
                visit(D, "10:00:00", "c-1"),
                visit(D, "10:30:00", "c-2"),
                visit("2026-11-22", "00:02:00", "c-3"),  // D closes
                visit("2026-11-22", "09:00:00", "c-4"));

        List<KeyValue<String, ActiveCustomers>> ofD = kit.output(TopicCatalogue.ACTIVE_CUSTOMERS).readKeyValuesToList().stream()
                .filter(kv -> kv.key.equals("contoso/2026-11-21T00:00:00Z")).toList();

        assertThat(ofD).extracting(kv -> kv.value.getDailyActive(), kv -> kv.value.getWeeklyActive(), kv -> kv.value.getFinal$())
                .containsExactly(tuple(1L, 1L, false), tuple(2L, 2L, false), tuple(2L, 2L, true));
        assertThat(ofD).allSatisfy(kv -> assertThat(kv.value.getTenant()).isEqualTo("contoso"));
    }

    @Test
    void theFinalValueCountsAnOutOfOrderEventOfTheDayBeforeWithinGrace() {
        kit.send(
                visit("2026-11-20", "10:00:00", "c-1"),
                visit(D, "00:00:10", "c-2"),
                visit("2026-11-20", "23:59:50", "c-3"),  // 20 s behind stream time: still counts, on the 20th
                visit("2026-11-22", "00:02:00", "c-4"));

        List<KeyValue<String, ActiveCustomers>> published = kit.output(TopicCatalogue.ACTIVE_CUSTOMERS).readKeyValuesToList();

        assertThat(finalOf(published, "2026-11-20").getDailyActive()).isEqualTo(2);
        assertThat(finalOf(published, D)).extracting(ActiveCustomers::getDailyActive, ActiveCustomers::getWeeklyActive)
                .containsExactly(1L, 3L);
    }

    @Test
    void leavesAClosedDayUnchangedByEventsLaterThanGrace() {
        kit.send(
                visit("2026-11-20", "10:00:00", "c-1"),
                visit(D, "00:05:00", "c-2"),
                visit("2026-11-20", "23:59:00", "c-3"));  // 6 minutes late: to the late-events topic

        assertThat(kit.output(TopicCatalogue.LATE_EVENTS).readValuesToList()).extracting(Envelope::getCustomerId).containsExactly("c-3");
        assertThat(this.<ActiveCustomers>days())
                .extracting(kv -> kv.key, kv -> kv.value.getDailyActive(), kv -> kv.value.getWeeklyActive(), kv -> kv.value.getFinal$())
                .containsExactly(
                        tuple(at("2026-11-20", "00:00:00"), 1L, 1L, true),
                        tuple(at(D, "00:00:00"), 1L, 2L, false));
    }

    @Test
    void ignoresEventsWithoutACustomer() {
        kit.send(
                visit(D, "10:00:00", "c-1"),
                pageView("contoso", "10:01:00").setCustomerId(null).setSessionId("anonymous-1").build());

        assertThat(this.<ActiveCustomers>days()).extracting(kv -> kv.value.getDailyActive()).containsExactly(1L);
        assertThat(kit.output(TopicCatalogue.ACTIVE_CUSTOMERS).readValuesToList()).hasSize(1);
    }

    @Test
    void keepsEachTenantsDaysApartInTheQueryableStore() {
        kit.send(
                visit(D, "10:00:00", "c-1"),
                pageView("fabrikam", "10:00:00").setCustomerId("c-1").build(),
                pageView("fabrikam", "10:00:01").setCustomerId("c-2").build());

        assertThat(this.<ActiveCustomers>days()).extracting(kv -> kv.value.getDailyActive()).containsExactly(1L);
        assertThat(kit.<ActiveCustomers>windows(StoreNames.ACTIVE_CUSTOMERS, "fabrikam"))
                .extracting(kv -> kv.key, kv -> kv.value.getDailyActive(), kv -> kv.value.getMonthlyActive())
                .containsExactly(tuple(at(D, "00:00:00"), 2L, 2L));
    }

    private static Envelope visit(String day, String time, String customer) {
        Instant t = at(day, time);
        return pageView("contoso", "00:00:00").setEventTime(t).setIngestionTime(t).setCustomerId(customer).build();
    }

    private ActiveCustomers finalOf(String day) {
        return finalOf(kit.output(TopicCatalogue.ACTIVE_CUSTOMERS).readKeyValuesToList(), day);
    }

    /** The one final record of a day among the published records. */
    private static ActiveCustomers finalOf(List<KeyValue<String, ActiveCustomers>> published, String day) {
        String key = "contoso/" + day + "T00:00:00Z";
        List<ActiveCustomers> finals = published.stream()
                .filter(kv -> kv.key.equals(key) && kv.value.getFinal$()).map(kv -> kv.value).toList();
        assertThat(finals).as("final records of %s", key).hasSize(1);
        return finals.get(0);
    }

    private <V> List<KeyValue<Instant, V>> days() {
        return kit.windows(StoreNames.ACTIVE_CUSTOMERS, "contoso");
    }
}
