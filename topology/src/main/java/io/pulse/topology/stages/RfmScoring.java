package io.pulse.topology.stages;

import io.pulse.avro.Money;
import io.pulse.avro.RfmSegment;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Currency;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * RFM scoring of a customer: recency, frequency and monetary value each scored 1 (worst) to 5 (best)
 * against fixed thresholds, and a named segment from the three scores. Pure functions; the thresholds
 * are the classic retail ones and deliberately not per tenant, so segments compare across retailers.
 *
 * <table>
 *   <caption>Thresholds (a score is the highest whose condition holds; otherwise 1)</caption>
 *   <tr><th>score</th><th>recency: since last activity</th><th>frequency: orders</th><th>monetary: revenue in minor units</th></tr>
 *   <tr><td>5</td><td>at most 7 days</td><td>at least 10</td><td>at least 100,000 (1,000.00 EUR; 100,000 JPY)</td></tr>
 *   <tr><td>4</td><td>at most 30 days</td><td>at least 5</td><td>at least 50,000</td></tr>
 *   <tr><td>3</td><td>at most 90 days</td><td>at least 3</td><td>at least 20,000</td></tr>
 *   <tr><td>2</td><td>at most 180 days</td><td>2</td><td>at least 5,000 (50.00 EUR)</td></tr>
 * </table>
 *
 * <p>Money is never converted between currencies: each currency's total is scored in that currency's
 * minor units (ISO 4217 digits: cents for EUR, yen for JPY), and the monetary score is the best score
 * of any currency. Minor units keep low-value currencies roughly comparable without exchange rates.
 *
 * <p>Segments, first match wins:
 * <ol>
 *   <li>{@code CHAMPIONS}: R &ge; 4, F &ge; 4 and M &ge; 4: recent, frequent, big spenders.</li>
 *   <li>{@code LOYAL}: R &ge; 3 and F &ge; 3: buy regularly.</li>
 *   <li>{@code AT_RISK}: R &le; 2 and F &ge; 3: used to buy often, quiet for over 90 days.</li>
 *   <li>{@code HIBERNATING}: R &le; 2: few orders, quiet for over 90 days.</li>
 *   <li>{@code NEW}: R &ge; 4 and F = 1: recent, at most one order.</li>
 *   <li>{@code POTENTIAL_LOYALIST}: R &ge; 4 and F = 2: recent, a second order.</li>
 *   <li>{@code NEEDS_ATTENTION}: the rest (R = 3 and F &le; 2: went quiet a month or more ago after few orders).</li>
 * </ol>
 */
public final class RfmScoring {
    static final List<Duration> RECENCY_AT_MOST = List.of(Duration.ofDays(7), Duration.ofDays(30), Duration.ofDays(90), Duration.ofDays(180));
    static final List<Long> ORDERS_AT_LEAST = List.of(10L, 5L, 3L, 2L);
    static final List<Long> MINOR_UNITS_AT_LEAST = List.of(100_000L, 50_000L, 20_000L, 5_000L);

    /** Minor-unit digits of the ISO 4217 currencies the JDK knows; others (and funds/metals) count as 2. */
    private static final Map<String, Integer> DIGITS = Currency.getAvailableCurrencies().stream()
            .filter(c -> c.getDefaultFractionDigits() >= 0)
            .collect(Collectors.toUnmodifiableMap(Currency::getCurrencyCode, Currency::getDefaultFractionDigits));
    private static final int DEFAULT_DIGITS = 2;

    private RfmScoring() {
    }

    /** The three scores and the segment. */
    public record Rfm(int recency, int frequency, int monetary, RfmSegment segment) {
    }

    public static Rfm score(Instant lastActivity, Instant now, long orders, List<Money> revenue) {
        int r = recency(lastActivity, now);
        int f = frequency(orders);
        int m = monetary(revenue);
        return new Rfm(r, f, m, segment(r, f, m));
    }

    /** 5 for activity within the last 7 days ... 1 for none in 180 days. */
    public static int recency(Instant lastActivity, Instant now) {
        Duration since = Duration.between(lastActivity, now);
        return scoreOf(RECENCY_AT_MOST, limit -> since.compareTo(limit) <= 0);
    }

    /** 5 for at least 10 orders ... 1 for one order or none. */
    public static int frequency(long orders) {
        return scoreOf(ORDERS_AT_LEAST, min -> orders >= min);
    }

    /** The best score of any currency's total; 1 without revenue. */
    public static int monetary(List<Money> revenue) {
        int best = 1;
        for (Money m : revenue) {
            BigDecimal minorUnits = m.getAmount().movePointRight(DIGITS.getOrDefault(m.getCurrency(), DEFAULT_DIGITS));
            best = Math.max(best, scoreOf(MINOR_UNITS_AT_LEAST, min -> minorUnits.compareTo(BigDecimal.valueOf(min)) >= 0));
        }
        return best;
    }

    public static RfmSegment segment(int r, int f, int m) {
        if (r >= 4 && f >= 4 && m >= 4) {
            return RfmSegment.CHAMPIONS;
        }
        if (r >= 3 && f >= 3) {
            return RfmSegment.LOYAL;
        }
        if (r <= 2) {
            return f >= 3 ? RfmSegment.AT_RISK : RfmSegment.HIBERNATING;
        }
        if (r >= 4) {
            return f == 1 ? RfmSegment.NEW : RfmSegment.POTENTIAL_LOYALIST;
        }
        return RfmSegment.NEEDS_ATTENTION;
    }

    /** 5 if the first threshold holds, 4 if the second, ... 1 if none. */
    private static <T> int scoreOf(List<T> thresholds, Predicate<T> holds) {
        for (int i = 0; i < thresholds.size(); i++) {
            if (holds.test(thresholds.get(i))) {
                return 5 - i;
            }
        }
        return 1;
    }
}
