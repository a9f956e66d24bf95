package io.pulse.common.envelope;

import io.pulse.avro.AddToCart;
import io.pulse.avro.Envelope;
import io.pulse.avro.EventType;
import io.pulse.avro.LineItem;
import io.pulse.avro.Money;
import io.pulse.avro.PageView;
import io.pulse.avro.ProductView;
import io.pulse.avro.Purchase;
import io.pulse.common.config.TenantIds;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The envelope rules every event must keep before it counts anywhere. Pure and deterministic: the
 * verdict depends on the record key and the envelope only (never on the clock), so reprocessing gives
 * the same rejects.
 *
 * <p>Rules are checked in a fixed order and the first one broken is reported: identity (event id,
 * tenant, source), then type and payload branch, then timestamps, then payload contents and money.
 */
public final class EnvelopeRules {
    /** How far an event time may be ahead of the ingestion time (clock skew of the source). */
    public static final Duration MAX_EVENT_TIME_AHEAD = Duration.ofMinutes(5);
    /** No event or ingestion time may be earlier: zero, negative or seconds-for-millis timestamps land before it. */
    public static final Instant EARLIEST_TIME = Instant.parse("2000-01-01T00:00:00Z");
    /** Money amounts: at most this many decimal places (the Avro decimal's scale) ... */
    public static final int MONEY_SCALE = 4;
    /** ... and this many digits in all (its precision). */
    public static final int MONEY_PRECISION = 18;
    /** Counter key of rejects whose tenant is told neither by the record key nor by the envelope; never a valid tenant id. */
    public static final String UNATTRIBUTED = "_unattributed";

    private static final Pattern UUID = Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final Pattern CURRENCY = Pattern.compile("[A-Z]{3}");
    private static final int MAX_QUOTED_CHARS = 64;

    /** A rule, with the stable id that goes into the {@code pulse.reject.rule} header. */
    public enum Rule {
        ENVELOPE_PRESENT("envelope.present"),
        EVENT_ID_UUID("event-id.uuid"),
        TENANT_VALID("tenant.valid"),
        TENANT_MATCHES_KEY("tenant.matches-key"),
        SOURCE_SYSTEM_PRESENT("source.system-present"),
        EVENT_TYPE_KNOWN("event-type.known"),
        TIME_NOT_BEFORE_2000("time.not-before-2000"),
        EVENT_TIME_NOT_AFTER_INGESTION("time.event-not-after-ingestion"),
        PAYLOAD_MATCHES_TYPE("payload.matches-type"),
        PAYLOAD_FIELD_PRESENT("payload.field-present"),
        QUANTITY_POSITIVE("quantity.positive"),
        CURRENCY_CODE("money.currency-code"),
        AMOUNT_NON_NEGATIVE("money.non-negative"),
        AMOUNT_SCALE("money.scale"),
        PURCHASE_ONE_CURRENCY("purchase.one-currency"),
        PURCHASE_TOTAL_MATCHES_LINES("purchase.total-matches-lines");

        private final String id;

        Rule(String id) {
            this.id = id;
        }

        public String id() {
            return id;
        }
    }

    /**
     * A broken rule.
     *
     * @param field   the Avro path of the offending field, e.g. {@code payload.line_items[1].quantity}
     * @param message what was wrong, for people
     */
    public record Violation(Rule rule, String field, String message) {
    }

    private EnvelopeRules() {
    }

    public static boolean isValid(String key, Envelope event) {
        return firstViolation(key, event).isEmpty();
    }

    /** The first rule the event breaks, or empty when it keeps them all. */
    public static Optional<Violation> firstViolation(String key, Envelope event) {
        return Optional.ofNullable(check(key, event));
    }

    /**
     * Whether the event and ingestion times keep the timestamp rules (not before 2000, event time at most
     * {@link #MAX_EVENT_TIME_AHEAD} after ingestion), whatever else is wrong with the envelope.
     */
    public static boolean hasSaneTimes(Envelope event) {
        return event != null && checkTimes(event) == null;
    }

    /**
     * The tenant a reject is counted for: the record key when it is a valid tenant id (the partition it
     * was written to is that tenant's), else the envelope's tenant when valid, else {@link #UNATTRIBUTED}.
     */
    public static String accountableTenant(String key, Envelope event) {
        if (TenantIds.isValid(key)) {
            return key;
        }
        if (event != null && TenantIds.isValid(event.getTenant())) {
            return event.getTenant();
        }
        return UNATTRIBUTED;
    }

    private static Violation check(String key, Envelope e) {
        if (e == null) {
            return new Violation(Rule.ENVELOPE_PRESENT, "envelope", "the record has no value (a tombstone or an empty envelope)");
        }
        if (e.getEventId() == null || !UUID.matcher(e.getEventId()).matches()) {
            return new Violation(Rule.EVENT_ID_UUID, "event_id", "event id " + quote(e.getEventId()) + " is not a UUID");
        }
        if (!TenantIds.isValid(e.getTenant())) {
            return new Violation(Rule.TENANT_VALID, "tenant", "tenant " + quote(e.getTenant()) + " is not a valid tenant id: " + TenantIds.RULE);
        }
        if (!e.getTenant().equals(key)) {
            return new Violation(Rule.TENANT_MATCHES_KEY, "tenant",
                    "tenant " + quote(e.getTenant()) + " differs from the record key " + quote(key) + "; events are keyed by their tenant");
        }
        if (e.getSource() == null || isBlank(e.getSource().getSystem())) {
            return new Violation(Rule.SOURCE_SYSTEM_PRESENT, "source.system", "the source system is missing");
        }
        if (e.getEventType() == null) {
            return new Violation(Rule.EVENT_TYPE_KNOWN, "event_type", "the event type is missing");
        }
        Violation v = checkTimes(e);
        if (v != null) {
            return v;
        }
        v = checkPayloadBranch(e.getEventType(), e.getPayload());
        if (v != null) {
            return v;
        }
        return switch (e.getEventType()) {
            case PAGE_VIEW -> checkPageView((PageView) e.getPayload());
            case PRODUCT_VIEW -> checkProductView((ProductView) e.getPayload());
            case ADD_TO_CART -> checkAddToCart((AddToCart) e.getPayload());
            case PURCHASE -> checkPurchase((Purchase) e.getPayload());
            case OTHER -> null;
        };
    }

    private static Violation checkTimes(Envelope e) {
        if (e.getEventTime() == null || e.getEventTime().isBefore(EARLIEST_TIME)) {
            return new Violation(Rule.TIME_NOT_BEFORE_2000, "event_time", "event time " + e.getEventTime() + " is before " + EARLIEST_TIME);
        }
        if (e.getIngestionTime() == null || e.getIngestionTime().isBefore(EARLIEST_TIME)) {
            return new Violation(Rule.TIME_NOT_BEFORE_2000, "ingestion_time",
                    "ingestion time " + e.getIngestionTime() + " is before " + EARLIEST_TIME);
        }
        if (e.getEventTime().isAfter(e.getIngestionTime().plus(MAX_EVENT_TIME_AHEAD))) {
            return new Violation(Rule.EVENT_TIME_NOT_AFTER_INGESTION, "event_time", "event time " + e.getEventTime()
                    + " is more than " + MAX_EVENT_TIME_AHEAD + " after the ingestion time " + e.getIngestionTime());
        }
        return null;
    }

    private static Violation checkPayloadBranch(EventType type, Object payload) {
        Class<?> expected = switch (type) {
            case PAGE_VIEW -> PageView.class;
            case PRODUCT_VIEW -> ProductView.class;
            case ADD_TO_CART -> AddToCart.class;
            case PURCHASE -> Purchase.class;
            case OTHER -> null;
        };
        boolean matches = expected == null ? payload == null : expected.isInstance(payload);
        if (matches) {
            return null;
        }
        String found = payload == null ? "none" : payload.getClass().getSimpleName();
        String wanted = expected == null ? "none" : expected.getSimpleName();
        return new Violation(Rule.PAYLOAD_MATCHES_TYPE, "payload",
                "event type " + type + " needs payload " + wanted + ", got " + found);
    }

    private static Violation checkPageView(PageView p) {
        return isBlank(p.getUrl()) ? missing("payload.url") : null;
    }

    private static Violation checkProductView(ProductView p) {
        if (isBlank(p.getProductId())) {
            return missing("payload.product_id");
        }
        return p.getPrice() == null ? null : checkMoney(p.getPrice(), "payload.price");
    }

    private static Violation checkAddToCart(AddToCart a) {
        if (isBlank(a.getProductId())) {
            return missing("payload.product_id");
        }
        Violation v = checkQuantity(a.getQuantity(), "payload.quantity");
        return v != null ? v : checkMoney(a.getUnitPrice(), "payload.unit_price");
    }

    private static Violation checkPurchase(Purchase p) {
        if (isBlank(p.getOrderId())) {
            return missing("payload.order_id");
        }
        Violation v = checkMoney(p.getTotal(), "payload.total");
        if (v != null) {
            return v;
        }
        List<LineItem> lines = p.getLineItems();
        if (lines == null || lines.isEmpty()) {
            return new Violation(Rule.PAYLOAD_FIELD_PRESENT, "payload.line_items", "a purchase needs at least one line item");
        }
        String currency = p.getTotal().getCurrency();
        BigDecimal sum = BigDecimal.ZERO;
        for (int i = 0; i < lines.size(); i++) {
            LineItem line = lines.get(i);
            String at = "payload.line_items[" + i + "]";
            if (line == null) {
                return missing(at);
            }
            if (isBlank(line.getProductId())) {
                return missing(at + ".product_id");
            }
            v = checkQuantity(line.getQuantity(), at + ".quantity");
            if (v == null) {
                v = checkMoney(line.getUnitPrice(), at + ".unit_price");
            }
            if (v != null) {
                return v;
            }
            if (!currency.equals(line.getUnitPrice().getCurrency())) {
                return new Violation(Rule.PURCHASE_ONE_CURRENCY, at + ".unit_price.currency", "line item currency "
                        + quote(line.getUnitPrice().getCurrency()) + " differs from the total's " + quote(currency));
            }
            sum = sum.add(line.getUnitPrice().getAmount().multiply(BigDecimal.valueOf(line.getQuantity())));
        }
        if (sum.compareTo(p.getTotal().getAmount()) != 0) {
            return new Violation(Rule.PURCHASE_TOTAL_MATCHES_LINES, "payload.total.amount", "total "
                    + p.getTotal().getAmount().toPlainString() + " " + currency + " differs from the line items' sum "
                    + sum.toPlainString() + " " + currency);
        }
        return null;
    }

    private static Violation checkQuantity(int quantity, String field) {
        return quantity >= 1 ? null : new Violation(Rule.QUANTITY_POSITIVE, field, "quantity " + quantity + " is less than 1");
    }

    private static Violation checkMoney(Money m, String field) {
        if (m == null) {
            return missing(field);
        }
        if (m.getCurrency() == null || !CURRENCY.matcher(m.getCurrency()).matches()) {
            return new Violation(Rule.CURRENCY_CODE, field + ".currency",
                    "currency " + quote(m.getCurrency()) + " is not an ISO 4217 code (3 upper-case letters)");
        }
        BigDecimal amount = m.getAmount();
        if (amount == null) {
            return missing(field + ".amount");
        }
        if (amount.signum() < 0) {
            return new Violation(Rule.AMOUNT_NON_NEGATIVE, field + ".amount", "amount " + amount.toPlainString() + " is negative");
        }
        // Fits decimal(18, 4) exactly: at most 4 decimal places and 14 digits before the point.
        if (amount.scale() > MONEY_SCALE || amount.precision() - amount.scale() > MONEY_PRECISION - MONEY_SCALE) {
            return new Violation(Rule.AMOUNT_SCALE, field + ".amount", "amount " + amount.toPlainString()
                    + " does not fit " + MONEY_PRECISION + " digits with " + MONEY_SCALE + " decimal places");
        }
        return null;
    }

    private static Violation missing(String field) {
        return new Violation(Rule.PAYLOAD_FIELD_PRESENT, field, field + " is missing");
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }

    /** Source data quoted into a message, cut short: headers stay small whatever a source sends. */
    private static String quote(String s) {
        if (s == null) {
            return "(none)";
        }
        return "'" + (s.length() > MAX_QUOTED_CHARS ? s.substring(0, MAX_QUOTED_CHARS) + "…" : s) + "'";
    }
}
