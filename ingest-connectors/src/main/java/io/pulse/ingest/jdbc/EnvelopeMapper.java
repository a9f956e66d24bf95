package io.pulse.ingest.jdbc;

import static io.pulse.ingest.jdbc.JdbcSourceKeys.*;

import io.pulse.avro.AddToCart;
import io.pulse.avro.Channel;
import io.pulse.avro.Envelope;
import io.pulse.avro.EventType;
import io.pulse.avro.LineItem;
import io.pulse.avro.Money;
import io.pulse.avro.PageView;
import io.pulse.avro.ProductView;
import io.pulse.avro.Purchase;
import io.pulse.avro.Source;
import io.pulse.avro.SourceKind;
import io.pulse.common.envelope.EnvelopeRules;
import io.pulse.common.topics.EventKeys;
import io.pulse.ingest.jdbc.EnvelopeMapping.ColumnOrValue;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Turns a row into an envelope by the configured {@link EnvelopeMapping} and checks it against
 * {@link EnvelopeRules}. Pure: the same row and ingestion time give the same envelope. A row that cannot be
 * mapped, or maps to an envelope that breaks a rule, raises {@link UnmappableRowException} with a reason
 * that names the column and its key (never the row's other values).
 */
final class EnvelopeMapper {
    private final String sourceName;
    private final String relation;
    private final String sourceSystem;
    private final EnvelopeMapping m;

    EnvelopeMapper(JdbcSourceConfig config) {
        this.sourceName = config.name();
        this.relation = config.polling().relation();
        this.sourceSystem = config.sourceSystem();
        this.m = config.mapping();
    }

    /** The mapping keys an event type needs that are not configured (empty when it can be mapped). */
    static List<String> missingKeys(EnvelopeMapping m, EventType type) {
        List<String> missing = new ArrayList<>();
        switch (type) {
            case PAGE_VIEW -> require(missing, m.urlColumn().isPresent(), MAP_URL_COLUMN);
            case PRODUCT_VIEW -> {
                require(missing, m.productId().isSet(), MAP_PRODUCT_ID_COLUMN);
                if (m.unitPriceColumn().isPresent()) {
                    require(missing, m.currency().isSet(), MAP_CURRENCY_COLUMN);
                }
            }
            case ADD_TO_CART -> {
                require(missing, m.productId().isSet(), MAP_PRODUCT_ID_COLUMN);
                require(missing, m.unitPriceColumn().isPresent(), MAP_UNIT_PRICE_COLUMN);
                require(missing, m.currency().isSet(), MAP_CURRENCY_COLUMN);
            }
            case PURCHASE -> {
                require(missing, m.orderIdColumn().isPresent(), MAP_ORDER_ID_COLUMN);
                require(missing, m.totalColumn().isPresent(), MAP_TOTAL_COLUMN);
                require(missing, m.currency().isSet(), MAP_CURRENCY_COLUMN);
                require(missing, m.productId().isSet(), MAP_PRODUCT_ID_COLUMN);
            }
            case OTHER -> {
            }
        }
        return missing;
    }

    private static void require(List<String> missing, boolean present, String key) {
        if (!present) {
            missing.add(key);
        }
    }

    Envelope map(SourceRow row, Instant ingestionTime) throws UnmappableRowException {
        EventType type = eventType(row);
        List<String> missing = missingKeys(m, type);
        if (!missing.isEmpty()) {
            throw new UnmappableRowException("the row maps to event type " + type + ", which needs " + missing + " to be configured");
        }
        String tenant = text(row, m.tenant(), MAP_TENANT_COLUMN);
        if (tenant == null) {
            throw new UnmappableRowException(nullColumn(m.tenant().column().orElseThrow(), MAP_TENANT_COLUMN));
        }
        String eventId = m.eventIdColumn().isPresent()
                ? requiredText(row, m.eventIdColumn().get(), MAP_EVENT_ID_COLUMN)
                : EventIds.forRow(sourceName, relation, row.id(), row.timestamp());
        Envelope event = Envelope.newBuilder()
                .setEventId(eventId)
                .setTenant(tenant)
                .setSource(Source.newBuilder().setSystem(sourceSystem).setKind(SourceKind.DATABASE).build())
                .setEventType(type)
                .setEventTime(instant(row, m.eventTimeColumn(), MAP_EVENT_TIME_COLUMN))
                .setIngestionTime(ingestionTime)
                .setCustomerId(optionalText(row, m.customerIdColumn()))
                .setSessionId(optionalText(row, m.sessionIdColumn()))
                .setChannel(channel(row))
                .setStoreId(optionalText(row, m.storeIdColumn()))
                .setPayload(payload(row, type))
                .build();
        Optional<EnvelopeRules.Violation> violation = EnvelopeRules.firstViolation(EventKeys.of(event), event);
        if (violation.isPresent()) {
            EnvelopeRules.Violation v = violation.get();
            throw new UnmappableRowException("envelope rule " + v.rule().id() + " broken at " + v.field() + ": " + v.message());
        }
        return event;
    }

    private EventType eventType(SourceRow row) throws UnmappableRowException {
        if (m.eventType().value().isPresent()) {
            return EventType.valueOf(m.eventType().value().get());
        }
        String column = m.eventType().column().orElseThrow();
        String value = requiredText(row, column, MAP_EVENT_TYPE_COLUMN);
        EventType type = lookUp(value, m.eventTypeValues(), EventType.class);
        if (type == null) {
            throw new UnmappableRowException("value '" + shorten(value) + "' of column '" + column + "' (" + MAP_EVENT_TYPE_COLUMN
                    + ") maps to no event type; map it with " + MAP_EVENT_TYPE_VALUES + "<value>");
        }
        return type;
    }

    private Channel channel(SourceRow row) throws UnmappableRowException {
        if (m.channel().value().isPresent()) {
            return Channel.valueOf(m.channel().value().get());
        }
        if (m.channel().column().isEmpty()) {
            return Channel.OTHER;
        }
        String column = m.channel().column().get();
        String value = requiredText(row, column, MAP_CHANNEL_COLUMN);
        Channel channel = lookUp(value, m.channelValues(), Channel.class);
        if (channel == null) {
            throw new UnmappableRowException("value '" + shorten(value) + "' of column '" + column + "' (" + MAP_CHANNEL_COLUMN
                    + ") maps to no channel; map it with " + MAP_CHANNEL_VALUES + "<value>");
        }
        return channel;
    }

    /** Through the value map when there is one, else the value is the enum constant's name. */
    private static <E extends Enum<E>> E lookUp(String value, Map<String, E> values, Class<E> type) {
        String key = value.trim().toLowerCase(Locale.ROOT);
        if (!values.isEmpty()) {
            return values.get(key);
        }
        try {
            return Enum.valueOf(type, key.toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private Object payload(SourceRow row, EventType type) throws UnmappableRowException {
        return switch (type) {
            case PAGE_VIEW -> PageView.newBuilder().setUrl(requiredText(row, m.urlColumn().orElseThrow(), MAP_URL_COLUMN)).build();
            case PRODUCT_VIEW -> {
                ProductView.Builder view = ProductView.newBuilder().setProductId(productId(row));
                if (m.unitPriceColumn().isPresent() && row.get(m.unitPriceColumn().get()) != null) {
                    view.setPrice(money(amount(row, m.unitPriceColumn().get(), MAP_UNIT_PRICE_COLUMN), currency(row)));
                }
                yield view.build();
            }
            case ADD_TO_CART -> AddToCart.newBuilder()
                    .setProductId(productId(row))
                    .setQuantity(quantity(row))
                    .setUnitPrice(money(amount(row, m.unitPriceColumn().orElseThrow(), MAP_UNIT_PRICE_COLUMN), currency(row)))
                    .build();
            case PURCHASE -> purchase(row);
            case OTHER -> null;
        };
    }

    /** One line item: the configured product, the quantity, and the unit price (column, or total / quantity exactly). */
    private Purchase purchase(SourceRow row) throws UnmappableRowException {
        String currency = currency(row);
        BigDecimal total = amount(row, m.totalColumn().orElseThrow(), MAP_TOTAL_COLUMN);
        int quantity = quantity(row);
        BigDecimal unitPrice;
        if (m.unitPriceColumn().isPresent()) {
            unitPrice = amount(row, m.unitPriceColumn().get(), MAP_UNIT_PRICE_COLUMN);
        } else {
            try {
                unitPrice = total.divide(BigDecimal.valueOf(quantity), EnvelopeRules.MONEY_SCALE, RoundingMode.UNNECESSARY);
            } catch (ArithmeticException e) {
                throw new UnmappableRowException("total " + total.toPlainString() + " of column '" + m.totalColumn().get()
                        + "' does not divide by quantity " + quantity + " into a unit price with " + EnvelopeRules.MONEY_SCALE
                        + " decimal places; configure " + MAP_UNIT_PRICE_COLUMN);
            }
        }
        return Purchase.newBuilder()
                .setOrderId(requiredText(row, m.orderIdColumn().orElseThrow(), MAP_ORDER_ID_COLUMN))
                .setLineItems(List.of(LineItem.newBuilder().setProductId(productId(row)).setQuantity(quantity)
                        .setUnitPrice(money(unitPrice, currency)).build()))
                .setTotal(money(total, currency))
                .build();
    }

    private String productId(SourceRow row) throws UnmappableRowException {
        String id = text(row, m.productId(), MAP_PRODUCT_ID_COLUMN);
        if (id == null) {
            throw new UnmappableRowException(nullColumn(m.productId().column().orElseThrow(), MAP_PRODUCT_ID_COLUMN));
        }
        return id;
    }

    private String currency(SourceRow row) throws UnmappableRowException {
        String currency = text(row, m.currency(), MAP_CURRENCY_COLUMN);
        if (currency == null) {
            throw new UnmappableRowException(nullColumn(m.currency().column().orElseThrow(), MAP_CURRENCY_COLUMN));
        }
        return currency.trim();
    }

    private int quantity(SourceRow row) throws UnmappableRowException {
        if (m.quantityColumn().isEmpty()) {
            return 1;
        }
        String column = m.quantityColumn().get();
        Object v = row.get(column);
        if (v == null) {
            throw new UnmappableRowException(nullColumn(column, MAP_QUANTITY_COLUMN));
        }
        try {
            BigDecimal d = v instanceof BigDecimal b ? b : new BigDecimal(v.toString().trim());
            return d.intValueExact();
        } catch (ArithmeticException | NumberFormatException e) {
            throw new UnmappableRowException("column '" + column + "' (" + MAP_QUANTITY_COLUMN + ") holds '" + shorten(v.toString())
                    + "', not a whole number of items");
        }
    }

    /** An exact amount with scale 4; more decimal places than 4 are refused, never rounded. */
    private static BigDecimal amount(SourceRow row, String column, String key) throws UnmappableRowException {
        Object v = row.get(column);
        if (v == null) {
            throw new UnmappableRowException(nullColumn(column, key));
        }
        BigDecimal d;
        try {
            d = v instanceof BigDecimal b ? b : new BigDecimal(v.toString().trim());
        } catch (NumberFormatException e) {
            throw new UnmappableRowException("column '" + column + "' (" + key + ") holds '" + shorten(v.toString()) + "', not a decimal number");
        }
        try {
            return d.setScale(EnvelopeRules.MONEY_SCALE, RoundingMode.UNNECESSARY);
        } catch (ArithmeticException e) {
            throw new UnmappableRowException("column '" + column + "' (" + key + ") holds " + d.toPlainString() + ", which has more than "
                    + EnvelopeRules.MONEY_SCALE + " decimal places");
        }
    }

    private static Money money(BigDecimal amount, String currency) {
        return Money.newBuilder().setAmount(amount).setCurrency(currency).build();
    }

    private static Instant instant(SourceRow row, String column, String key) throws UnmappableRowException {
        Object v = row.get(column);
        if (v == null) {
            throw new UnmappableRowException(nullColumn(column, key));
        }
        if (v instanceof Instant i) {
            return i;
        }
        try {
            return OffsetDateTime.parse(v.toString().trim()).toInstant();
        } catch (DateTimeParseException e) {
            throw new UnmappableRowException("column '" + column + "' (" + key + ") holds '" + shorten(v.toString())
                    + "', not a timestamp (a timestamp column, or ISO-8601 text with an offset)");
        }
    }

    private static String text(SourceRow row, ColumnOrValue field, String key) {
        if (field.value().isPresent()) {
            return field.value().get();
        }
        Object v = row.get(field.column().orElseThrow(() -> new IllegalStateException(key + " is not configured")));
        return v == null ? null : v.toString();
    }

    private static String requiredText(SourceRow row, String column, String key) throws UnmappableRowException {
        Object v = row.get(column);
        if (v == null) {
            throw new UnmappableRowException(nullColumn(column, key));
        }
        return v.toString();
    }

    private static String optionalText(SourceRow row, Optional<String> column) {
        if (column.isEmpty()) {
            return null;
        }
        Object v = row.get(column.get());
        return v == null ? null : v.toString();
    }

    private static String nullColumn(String column, String key) {
        return "column '" + column + "' (" + key + ") is NULL";
    }

    private static String shorten(String s) {
        return s.length() > 64 ? s.substring(0, 64) + "…" : s;
    }
}
