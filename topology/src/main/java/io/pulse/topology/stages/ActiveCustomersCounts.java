package io.pulse.topology.stages;

import io.pulse.avro.ActiveCustomers;
import io.pulse.avro.DailyCustomersState;
import io.pulse.topology.sketch.DistinctCounts;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.NavigableMap;
import org.apache.datasketches.hll.HllSketch;

/**
 * Daily, weekly and monthly active customers as pure functions, free of Kafka: a day's distinct
 * customers ({@link #add}), and for a day D the rollup of the daily sketches of the days before it
 * ({@link #rollup}): DAU = day D, WAU = days D-6 .. D, MAU = days D-29 .. D, each the union of the
 * days' HyperLogLog sketches ({@link DistinctCounts}), so a customer active on several days counts once.
 *
 * <p>Estimates beyond the sketch's exact range are made consistent: WAU is at least DAU and MAU at
 * least WAU, so the stickiness ratios DAU/WAU and DAU/MAU never exceed 1.
 */
public final class ActiveCustomersCounts {
    public static final int WEEK_DAYS = 7;
    public static final int MONTH_DAYS = 30;
    public static final Duration DAY = Duration.ofDays(1);

    private ActiveCustomersCounts() {
    }

    public static DailyCustomersState emptyRecord() {
        return toRecord(DistinctCounts.newSketch());
    }

    /** The day's state with one more active customer. */
    public static DailyCustomersState add(String customerId, DailyCustomersState day) {
        HllSketch sketch = DistinctCounts.read(day.getCustomersSketch());
        sketch.update(customerId);
        return toRecord(sketch);
    }

    /**
     * The active customers of the day starting at {@code dayStart}, from the daily states by day start
     * (days outside D-29 .. D are ignored, missing days had no active customer); the caller sets the
     * tenant and whether it is final.
     */
    public static ActiveCustomers.Builder rollup(Instant dayStart, NavigableMap<Instant, DailyCustomersState> days) {
        Instant weekStart = dayStart.minus(DAY.multipliedBy(WEEK_DAYS - 1));
        Instant monthStart = dayStart.minus(DAY.multipliedBy(MONTH_DAYS - 1));
        List<HllSketch> week = sketches(days.subMap(weekStart, true, dayStart, true));
        HllSketch weekUnion = DistinctCounts.union(week);
        List<HllSketch> month = new ArrayList<>(sketches(days.subMap(monthStart, true, weekStart, false)));
        month.add(weekUnion);

        DailyCustomersState today = days.get(dayStart);
        long daily = today == null ? 0 : today.getCustomers();
        long weekly = Math.max(DistinctCounts.estimate(weekUnion), daily);
        long monthly = Math.max(DistinctCounts.estimate(DistinctCounts.union(month)), weekly);
        return ActiveCustomers.newBuilder()
                .setDayStart(dayStart)
                .setDayEnd(dayStart.plus(DAY))
                .setDailyActive(daily)
                .setWeeklyActive(weekly)
                .setMonthlyActive(monthly)
                .setDauOverWau(ratio(daily, weekly))
                .setDauOverMau(ratio(daily, monthly));
    }

    /** 0 when there is no active customer at all (no 0/0 in the records). */
    private static double ratio(long part, long whole) {
        return whole == 0 ? 0.0 : (double) part / whole;
    }

    private static List<HllSketch> sketches(NavigableMap<Instant, DailyCustomersState> days) {
        return days.values().stream().map(d -> DistinctCounts.read(d.getCustomersSketch())).toList();
    }

    private static DailyCustomersState toRecord(HllSketch sketch) {
        return DailyCustomersState.newBuilder()
                .setCustomers(DistinctCounts.estimate(sketch))
                .setCustomersSketch(DistinctCounts.write(sketch))
                .build();
    }
}
