package io.pulse.topology.stages;

import io.pulse.avro.CurrencyRevenue;
import io.pulse.avro.WindowedMetrics;
import io.pulse.common.topics.TenantKeys;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.TreeMap;

/**
 * What the alerts stage needs of one final 1-minute metrics record, and nothing more: whose series it is,
 * which window, the revenue per currency and the conversion rate. The one place that knows the
 * {@link WindowedMetrics} record layout on the alerts side.
 *
 * @param storeId    null for the tenant's total over all stores
 * @param channel    null for all channels
 * @param revenue    exact revenue per currency that had an order in the window, sorted by currency
 * @param conversion orders / sessions; empty when the window had no session
 */
record MinuteMetrics(String tenant, String storeId, String channel, Instant windowStart, Instant windowEnd,
                     Map<String, BigDecimal> revenue, OptionalDouble conversion) {

    static final Duration WINDOW = Duration.ofMinutes(1);
    /** Store and channel of the tenant-wide series in keys. */
    static final String ALL = "*";

    MinuteMetrics {
        revenue = Collections.unmodifiableMap(new TreeMap<>(revenue));
    }

    /**
     * Whether a metrics record is one the alerts stage scores: a final value of a 1-minute window with
     * something to score, a session (so a conversion rate) or an order. A record with neither says nothing
     * about revenue or conversion.
     */
    static boolean isAlertInput(WindowedMetrics m) {
        return m != null && m.getFinal$() && WINDOW.toString().equals(m.getWindowSize())
                && (m.getConversionRate() != null || !m.getRevenue().isEmpty());
    }

    /** The record's alert inputs, when it is {@linkplain #isAlertInput one}. */
    static Optional<MinuteMetrics> from(WindowedMetrics m) {
        if (!isAlertInput(m)) {
            return Optional.empty();
        }
        Map<String, BigDecimal> revenue = new TreeMap<>();
        for (CurrencyRevenue r : m.getRevenue()) {
            revenue.merge(r.getCurrency(), r.getRevenue(), BigDecimal::add);
        }
        OptionalDouble conversion = m.getConversionRate() == null ? OptionalDouble.empty() : OptionalDouble.of(m.getConversionRate());
        return Optional.of(new MinuteMetrics(m.getTenant(), m.getStoreId(), m.getChannel(), m.getWindowStart(), m.getWindowEnd(),
                revenue, conversion));
    }

    /** {@code tenant/store|*&#47;channel|*}: whose baselines these are; starts with the tenant, as every key. */
    String seriesKey() {
        return TenantKeys.of(tenant, storeId == null ? ALL : storeId, channel == null ? ALL : channel);
    }
}
