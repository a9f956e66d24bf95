package io.pulse.ingest.jdbc;

import static io.pulse.ingest.jdbc.JdbcSourceKeys.*;

import io.pulse.avro.Channel;
import io.pulse.avro.EventType;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Which column (or fixed value) becomes which envelope field. Column names are compared
 * case-insensitively with the result set's column labels; value maps are keyed by the lower-cased
 * column value.
 */
public record EnvelopeMapping(
        ColumnOrValue tenant,
        Optional<String> eventIdColumn,
        ColumnOrValue eventType,
        Map<String, EventType> eventTypeValues,
        String eventTimeColumn,
        Optional<String> customerIdColumn,
        Optional<String> sessionIdColumn,
        ColumnOrValue channel,
        Map<String, Channel> channelValues,
        Optional<String> storeIdColumn,
        Optional<String> orderIdColumn,
        Optional<String> totalColumn,
        ColumnOrValue currency,
        ColumnOrValue productId,
        Optional<String> quantityColumn,
        Optional<String> unitPriceColumn,
        Optional<String> urlColumn) {

    /** Either a column to read or a fixed value (or neither, for optional fields). */
    public record ColumnOrValue(Optional<String> column, Optional<String> value) {
        public static ColumnOrValue none() {
            return new ColumnOrValue(Optional.empty(), Optional.empty());
        }

        public static ColumnOrValue column(String column) {
            return new ColumnOrValue(Optional.of(column), Optional.empty());
        }

        public static ColumnOrValue value(String value) {
            return new ColumnOrValue(Optional.empty(), Optional.of(value));
        }

        public boolean isSet() {
            return column.isPresent() || value.isPresent();
        }
    }

    public EnvelopeMapping {
        eventTypeValues = Map.copyOf(eventTypeValues);
        channelValues = Map.copyOf(channelValues);
    }

    /** Every column the mapping reads, by the key that names it: checked against the first result set. */
    public Map<String, String> columnsByKey() {
        Map<String, String> m = new LinkedHashMap<>();
        tenant.column().ifPresent(c -> m.put(MAP_TENANT_COLUMN, c));
        eventIdColumn.ifPresent(c -> m.put(MAP_EVENT_ID_COLUMN, c));
        eventType.column().ifPresent(c -> m.put(MAP_EVENT_TYPE_COLUMN, c));
        m.put(MAP_EVENT_TIME_COLUMN, eventTimeColumn);
        customerIdColumn.ifPresent(c -> m.put(MAP_CUSTOMER_ID_COLUMN, c));
        sessionIdColumn.ifPresent(c -> m.put(MAP_SESSION_ID_COLUMN, c));
        channel.column().ifPresent(c -> m.put(MAP_CHANNEL_COLUMN, c));
        storeIdColumn.ifPresent(c -> m.put(MAP_STORE_ID_COLUMN, c));
        orderIdColumn.ifPresent(c -> m.put(MAP_ORDER_ID_COLUMN, c));
        totalColumn.ifPresent(c -> m.put(MAP_TOTAL_COLUMN, c));
        currency.column().ifPresent(c -> m.put(MAP_CURRENCY_COLUMN, c));
        productId.column().ifPresent(c -> m.put(MAP_PRODUCT_ID_COLUMN, c));
        quantityColumn.ifPresent(c -> m.put(MAP_QUANTITY_COLUMN, c));
        unitPriceColumn.ifPresent(c -> m.put(MAP_UNIT_PRICE_COLUMN, c));
        urlColumn.ifPresent(c -> m.put(MAP_URL_COLUMN, c));
        return m;
    }
}
