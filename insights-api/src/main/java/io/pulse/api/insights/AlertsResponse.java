package io.pulse.api.insights;

import io.pulse.avro.Alert;
import io.pulse.avro.RecentAlert;
import java.time.Instant;
import java.util.List;

/** {@code GET /api/v1/tenants/{tenant}/alerts}: a tenant's latest alerts, newest first. */
public record AlertsResponse(String tenant, int limit, List<AlertView> alerts, Freshness freshness) {

    static AlertsResponse of(String tenant, int limit, List<RecentAlert> alerts, Freshness freshness) {
        return new AlertsResponse(tenant, limit, alerts.stream().map(AlertView::of).toList(), freshness);
    }

    /**
     * One alert (see alert.avsc): a spike or dip of a final 1-minute window against its rolling baseline, or a
     * DELIVERY alert of the ingest path.
     *
     * @param key       the alert's key on pulse.alerts.v1: unique per alert
     * @param store     null: the tenant's total over all stores
     * @param metric    REVENUE, CONVERSION_RATE, DELIVERY (or OTHER)
     * @param currency  of a REVENUE alert
     * @param direction SPIKE or DIP
     * @param score     (value - baselineMean) / baselineStddev
     */
    public record AlertView(String key, String store, String channel, String metric, String currency, String direction,
                            double value, double baselineMean, double baselineStddev, double score, int baselineWindows,
                            Instant windowStart, Instant windowEnd, Instant detectedAt, String source, String message) {
        static AlertView of(RecentAlert recent) {
            Alert a = recent.getAlert();
            return new AlertView(recent.getKey(), a.getStoreId(), a.getChannel(), a.getMetric().name(), a.getCurrency(),
                    a.getDirection().name(), a.getValue(), a.getBaselineMean(), a.getBaselineStddev(), a.getScore(),
                    a.getBaselineWindows(), a.getWindowStart(), a.getWindowEnd(), a.getDetectedAt(), a.getSource(), a.getMessage());
        }
    }
}
