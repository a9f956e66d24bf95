package io.pulse.topology.stages;

import io.pulse.avro.Alert;
import io.pulse.avro.AlertBaselines;
import io.pulse.avro.AlertDirection;
import io.pulse.avro.AlertMetric;
import io.pulse.topology.stages.RollingBaseline.Deviation;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Scores one final 1-minute window of a series key against its baselines and moves the baselines on: the
 * pure heart of {@link AlertsStage}, without Kafka.
 *
 * <p>Series per key: the conversion rate, and the revenue of each currency the key has ever sold in (a
 * window without an order in a currency has revenue 0 there: sales stopping while traffic goes on is a
 * dip). Each value is scored against the previous {@code baselineWindows} values of its series, then
 * joins them (an alert's own window is part of the next windows' baseline).
 */
final class AlertDetector {
    private final int baselineWindows;
    private final double threshold;

    AlertDetector(int baselineWindows, double threshold) {
        if (baselineWindows < 1 || !(threshold > 0)) {
            throw new IllegalArgumentException("baseline windows must be >= 1 and the threshold > 0, got "
                    + baselineWindows + " and " + threshold);
        }
        this.baselineWindows = baselineWindows;
        this.threshold = threshold;
    }

    /** The baselines after a window, and the alerts it raised (conversion first, then revenue by currency). */
    record Outcome(AlertBaselines baselines, List<Alert> alerts) {
    }

    /**
     * @param baselines the key's state, or null before its first window
     * @return empty when the window is not newer than the last one scored (a duplicate or out of order): it
     *         changes nothing
     */
    Optional<Outcome> score(AlertBaselines baselines, MinuteMetrics window, Instant detectedAt) {
        if (baselines != null && !window.windowEnd().isAfter(baselines.getLastWindowEnd())) {
            return Optional.empty();
        }
        List<Alert> alerts = new ArrayList<>();

        RollingBaseline conversion = RollingBaseline.of(baselineWindows,
                baselines == null ? List.of() : baselines.getConversionRate());
        if (window.conversion().isPresent()) {
            double value = window.conversion().getAsDouble();
            conversion.deviation(value).filter(d -> d.reaches(threshold))
                    .ifPresent(d -> alerts.add(alert(window, AlertMetric.CONVERSION_RATE, null, d, detectedAt)));
            conversion.add(value);
        }

        Map<String, List<Double>> pastRevenue = baselines == null ? Map.of() : baselines.getRevenue();
        TreeSet<String> currencies = new TreeSet<>(pastRevenue.keySet());
        currencies.addAll(window.revenue().keySet());
        Map<String, List<Double>> revenue = new LinkedHashMap<>();
        for (String currency : currencies) {
            RollingBaseline series = RollingBaseline.of(baselineWindows, pastRevenue.getOrDefault(currency, List.of()));
            double value = window.revenue().getOrDefault(currency, BigDecimal.ZERO).doubleValue();
            series.deviation(value).filter(d -> d.reaches(threshold))
                    .ifPresent(d -> alerts.add(alert(window, AlertMetric.REVENUE, currency, d, detectedAt)));
            series.add(value);
            revenue.put(currency, series.values());
        }

        AlertBaselines next = AlertBaselines.newBuilder()
                .setLastWindowEnd(window.windowEnd())
                .setConversionRate(conversion.values())
                .setRevenue(revenue)
                .build();
        return Optional.of(new Outcome(next, alerts));
    }

    private static Alert alert(MinuteMetrics w, AlertMetric metric, String currency, Deviation d, Instant detectedAt) {
        return Alert.newBuilder()
                .setTenant(w.tenant())
                .setStoreId(w.storeId())
                .setChannel(w.channel())
                .setMetric(metric)
                .setCurrency(currency)
                .setDirection(d.isSpike() ? AlertDirection.SPIKE : AlertDirection.DIP)
                .setValue(d.value())
                .setBaselineMean(d.mean())
                .setBaselineStddev(d.stddev())
                .setScore(d.score())
                .setBaselineWindows(d.windows())
                .setWindowStart(w.windowStart())
                .setWindowEnd(w.windowEnd())
                .setDetectedAt(detectedAt)
                .build();
    }
}
