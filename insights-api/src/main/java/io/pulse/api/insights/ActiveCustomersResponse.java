package io.pulse.api.insights;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.pulse.api.query.WindowRow;
import io.pulse.avro.ActiveCustomers;
import java.time.Instant;
import java.util.List;
import java.util.function.Predicate;

/** {@code GET /api/v1/tenants/{tenant}/active-customers}: daily, weekly and monthly active customers per UTC day. */
public record ActiveCustomersResponse(String tenant, Instant from, Instant to, List<Day> days, Freshness freshness) {

    static ActiveCustomersResponse of(String tenant, Instant from, Instant to, List<WindowRow<ActiveCustomers>> rows,
                                      Predicate<Instant> finalAtEnd, Freshness freshness) {
        return new ActiveCustomersResponse(tenant, from, to,
                rows.stream().map(r -> Day.of(r.value(), r.value().getFinal$() || finalAtEnd.test(r.end()))).toList(), freshness);
    }

    /**
     * One UTC day D (HyperLogLog estimates, exact up to a few hundred customers).
     *
     * @param closed        {@code "final"}: D's grace has passed, so D and the weeks and months ending with it no longer change
     * @param dailyActive   distinct customers with an event on D
     * @param weeklyActive  on the 7 days ending with D
     * @param monthlyActive on the 30 days ending with D
     */
    public record Day(Instant start, Instant end, @JsonProperty("final") boolean closed, long dailyActive, long weeklyActive,
                      long monthlyActive, double dauOverWau, double dauOverMau) {
        static Day of(ActiveCustomers a, boolean closed) {
            return new Day(a.getDayStart(), a.getDayEnd(), closed, a.getDailyActive(), a.getWeeklyActive(), a.getMonthlyActive(),
                    a.getDauOverWau(), a.getDauOverMau());
        }
    }
}
