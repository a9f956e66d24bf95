package io.pulse.api.live;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.pulse.avro.Alert;
import io.pulse.avro.CurrencyRevenue;
import io.pulse.avro.WindowedMetrics;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Turns the records of {@code pulse.metrics.v1} and {@code pulse.alerts.v1} into the JSON of the
 * stream's {@code metrics} and {@code alert} events. Field names follow the REST answers (camelCase;
 * {@code store} and {@code channel} null for the tenant-wide rollup), and every event carries the
 * {@code freshness} block of the API contract.
 */
public final class LiveEvents {
    private final ObjectMapper json = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    private final Clock clock;
    private final String servedBy;

    /**
     * @param servedBy the instance that serves the stream (its {@code application.server}), reported in {@code freshness}
     */
    public LiveEvents(Clock clock, String servedBy) {
        this.clock = clock;
        this.servedBy = servedBy;
    }

    /**
     * @param newestEventTime the record's timestamp (Kafka Streams stamps an output with the newest event time it saw)
     * @param lagRecords      how many records the feed is behind the end of the record's partition
     */
    public LiveEvent metrics(WindowedMetrics m, Instant newestEventTime, long lagRecords) {
        MetricsUpdate update = new MetricsUpdate(m.getTenant(), m.getStoreId(), m.getChannel(), m.getWindowSize(),
                m.getWindowStart(), m.getWindowEnd(), m.getFinal$(), m.getEvents(), m.getUniqueCustomers(),
                m.getSessions(), m.getCartSessions(), m.getOrders(),
                m.getRevenue().stream().map(LiveEvents::revenue).toList(),
                m.getConversionRate(), m.getAddToCartRate(), freshness(newestEventTime, lagRecords));
        return new LiveEvent(m.getTenant(), LiveEvent.METRICS, write(update));
    }

    /**
     * An alert; its freshness is that of its detection.
     *
     * @param key the alert's key on pulse.alerts.v1 (unique per alert, as in the REST answer)
     */
    public LiveEvent alert(String key, Alert a, long lagRecords) {
        AlertUpdate update = new AlertUpdate(key, a.getTenant(), a.getStoreId(), a.getChannel(), a.getMetric().name(),
                a.getCurrency(), a.getDirection().name(), a.getValue(), a.getBaselineMean(), a.getBaselineStddev(),
                a.getScore(), a.getBaselineWindows(), a.getWindowStart(), a.getWindowEnd(), a.getDetectedAt(),
                a.getSource(), a.getMessage(), freshness(a.getDetectedAt(), lagRecords));
        return new LiveEvent(a.getTenant(), LiveEvent.ALERT, write(update));
    }

    private Freshness freshness(Instant newestEventTime, long lagRecords) {
        long age = Math.max(0, Duration.between(newestEventTime, clock.instant()).toSeconds());
        return new Freshness(newestEventTime, age, servedBy, false, lagRecords);
    }

    private static Revenue revenue(CurrencyRevenue r) {
        return new Revenue(r.getCurrency(), r.getOrders(), decimal(r.getRevenue()), decimal(r.getAverageOrderValue()));
    }

    /** Money as the REST answers write it: an exact decimal string with 4 places. */
    private static String decimal(BigDecimal amount) {
        return amount == null ? null : amount.setScale(4, RoundingMode.HALF_EVEN).toPlainString();
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + value.getClass().getSimpleName() + " as JSON", e);
        }
    }

    /** Data of a {@code metrics} event: one window's values; {@code final} in JSON ({@code isFinal} here: a Java keyword). */
    public record MetricsUpdate(String tenant, String store, String channel, String window, Instant start, Instant end,
                                @JsonProperty("final") boolean isFinal, long events, long uniqueCustomers, long sessions, long cartSessions,
                                long orders, List<Revenue> revenue, Double conversionRate, Double addToCartRate,
                                Freshness freshness) {
    }

    /** Revenue in one currency (currencies are never mixed), exact decimal strings with 4 places. */
    public record Revenue(String currency, long orders, String revenue, String averageOrderValue) {
    }

    /** Data of an {@code alert} event. */
    public record AlertUpdate(String key, String tenant, String store, String channel, String metric, String currency, String direction,
                              double value, double baselineMean, double baselineStddev, double score, int baselineWindows,
                              Instant windowStart, Instant windowEnd, Instant detectedAt, String source, String message,
                              Freshness freshness) {
    }

    /** How fresh an event is, as in every REST answer. */
    public record Freshness(Instant newestEventTime, long ageSeconds, String servedBy, boolean stale, long lagRecords) {
    }
}
