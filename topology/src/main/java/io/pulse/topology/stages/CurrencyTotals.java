package io.pulse.topology.stages;

import io.pulse.avro.Money;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Exact sums of money, one total per currency (amounts of different currencies are never added),
 * as the sorted {@code array<Money>} that Pulse's aggregates carry. Amounts keep scale 4, the scale
 * of {@link Money}; an amount with more decimals is an error, never rounded.
 */
public final class CurrencyTotals {
    /** The scale of every {@link Money} amount. */
    public static final int SCALE = 4;

    private CurrencyTotals() {
    }

    /** {@code totals} plus {@code amount}, as a new list sorted by currency. */
    public static List<Money> add(List<Money> totals, Money amount) {
        return merge(totals, List.of(amount));
    }

    /** The per-currency sums of both lists, as a new list sorted by currency. */
    public static List<Money> merge(List<Money> a, List<Money> b) {
        Map<String, BigDecimal> sums = new TreeMap<>(Comparator.naturalOrder());
        for (List<Money> list : List.of(a, b)) {
            for (Money m : list) {
                sums.merge(m.getCurrency(), m.getAmount(), BigDecimal::add);
            }
        }
        List<Money> result = new ArrayList<>(sums.size());
        sums.forEach((currency, sum) -> result.add(Money.newBuilder()
                .setCurrency(currency)
                .setAmount(sum.setScale(SCALE, RoundingMode.UNNECESSARY))
                .build()));
        return result;
    }
}
