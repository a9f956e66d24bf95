package io.pulse.topology.stages;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulse.avro.ActiveCustomers;
import io.pulse.avro.DailyCustomersState;
import java.time.Instant;
import java.util.NavigableMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class ActiveCustomersCountsTest {
    private static final Instant D = Instant.parse("2026-11-21T00:00:00Z");

    @Test
    void theWeekIsDaysDMinusSixToDAndTheMonthDaysDMinusTwentyNineToD() {
        NavigableMap<Instant, DailyCustomersState> days = new TreeMap<>();
        days.put(daysBefore(30), day("c-30"));
        days.put(daysBefore(29), day("c-29"));
        days.put(daysBefore(7), day("c-7"));
        days.put(daysBefore(6), day("c-6"));
        days.put(D, day("c-0", "c-0b"));
        days.put(D.plus(ActiveCustomersCounts.DAY), day("c-tomorrow"));

        ActiveCustomers a = ActiveCustomersCounts.rollup(D, days).setTenant("t").setFinal$(true).build();

        assertThat(a.getDailyActive()).isEqualTo(2);
        assertThat(a.getWeeklyActive()).isEqualTo(3);   // c-0, c-0b, c-6
        assertThat(a.getMonthlyActive()).isEqualTo(5);  // + c-7, c-29
        assertThat(a.getDauOverWau()).isEqualTo(2.0 / 3);
        assertThat(a.getDauOverMau()).isEqualTo(2.0 / 5);
        assertThat(a.getDayStart()).isEqualTo(D);
        assertThat(a.getDayEnd()).isEqualTo(Instant.parse("2026-11-22T00:00:00Z"));
    }

    @Test
    void aCustomerOfSeveralDaysCountsOnce() {
        NavigableMap<Instant, DailyCustomersState> days = new TreeMap<>();
        days.put(daysBefore(20), day("c-1", "c-2"));
        days.put(daysBefore(3), day("c-1"));
        days.put(D, day("c-1", "c-2"));

        ActiveCustomers a = ActiveCustomersCounts.rollup(D, days).setTenant("t").setFinal$(false).build();

        assertThat(a.getWeeklyActive()).isEqualTo(2);
        assertThat(a.getMonthlyActive()).isEqualTo(2);
        assertThat(a.getDauOverMau()).isEqualTo(1.0);
    }

    @Test
    void aDayWithoutCustomersHasZeroRatiosRatherThanNaN() {
        ActiveCustomers a = ActiveCustomersCounts.rollup(D, new TreeMap<>()).setTenant("t").setFinal$(false).build();

        assertThat(a.getDailyActive()).isZero();
        assertThat(a.getDauOverWau()).isZero();
        assertThat(a.getDauOverMau()).isZero();
    }

    @Test
    void addingTheSameCustomerTwiceKeepsTheDaysCount() {
        DailyCustomersState s = ActiveCustomersCounts.add("c-1", ActiveCustomersCounts.emptyRecord());
        s = ActiveCustomersCounts.add("c-1", s);
        s = ActiveCustomersCounts.add("c-2", s);

        assertThat(s.getCustomers()).isEqualTo(2);
    }

    private static Instant daysBefore(int n) {
        return D.minus(ActiveCustomersCounts.DAY.multipliedBy(n));
    }

    private static DailyCustomersState day(String... customers) {
        DailyCustomersState s = ActiveCustomersCounts.emptyRecord();
        for (String c : customers) {
            s = ActiveCustomersCounts.add(c, s);
        }
        return s;
    }
}
