package io.pulse.ingest.jdbc;

import io.pulse.common.config.ConfigKeys;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The configuration keys of a JDBC source called {@code <name>}: {@code pulse.ingest.jdbc.<name>.<suffix>},
 * each also settable as an environment variable ({@link ConfigKeys#envName}). Several sources can be
 * configured side by side under different names.
 */
public final class JdbcSourceKeys {
    public static final String PREFIX = "pulse.ingest.jdbc.";

    public static final String URL = "url";
    public static final String USER = "user";
    /** Environment only ({@code PULSE_INGEST_JDBC_<NAME>_PASSWORD}): refused in a file. */
    public static final String PASSWORD = "password";
    public static final String TABLE = "table";
    public static final String QUERY = "query";
    public static final String MODE = "mode";
    public static final String INCREMENTING_COLUMN = "incrementing.column";
    public static final String TIMESTAMP_COLUMN = "timestamp.column";
    public static final String TIMESTAMP_DELAY = "timestamp.delay";
    public static final String TIMEZONE = "timezone";
    public static final String CURRENT_TIME_QUERY = "current-time.query";
    public static final String POLL_INTERVAL = "poll.interval";
    public static final String BATCH_SIZE = "batch.size";
    public static final String QUERY_TIMEOUT = "query.timeout";
    public static final String DELIVERY_TIMEOUT = "delivery.timeout";
    public static final String POSITION_DIR = "position.dir";
    public static final String RETRY_INITIAL_BACKOFF = "retry.initial-backoff";
    public static final String RETRY_MAX_BACKOFF = "retry.max-backoff";
    public static final String RETRY_MAX_RETRIES = "retry.max-retries";
    public static final String SOURCE_SYSTEM = "source.system";

    public static final String MAP_TENANT_COLUMN = "map.tenant.column";
    public static final String MAP_TENANT_VALUE = "map.tenant.value";
    public static final String MAP_EVENT_ID_COLUMN = "map.event-id.column";
    public static final String MAP_EVENT_TYPE_COLUMN = "map.event-type.column";
    public static final String MAP_EVENT_TYPE_VALUE = "map.event-type.value";
    /** {@code map.event-type.values.<column value>=<EventType>}, one key per value of the column. */
    public static final String MAP_EVENT_TYPE_VALUES = "map.event-type.values.";
    public static final String MAP_EVENT_TIME_COLUMN = "map.event-time.column";
    public static final String MAP_CUSTOMER_ID_COLUMN = "map.customer-id.column";
    public static final String MAP_SESSION_ID_COLUMN = "map.session-id.column";
    public static final String MAP_CHANNEL_COLUMN = "map.channel.column";
    public static final String MAP_CHANNEL_VALUE = "map.channel.value";
    /** {@code map.channel.values.<column value>=<Channel>}. */
    public static final String MAP_CHANNEL_VALUES = "map.channel.values.";
    public static final String MAP_STORE_ID_COLUMN = "map.store-id.column";
    public static final String MAP_ORDER_ID_COLUMN = "map.order-id.column";
    public static final String MAP_TOTAL_COLUMN = "map.total.column";
    public static final String MAP_CURRENCY_COLUMN = "map.currency.column";
    public static final String MAP_CURRENCY_VALUE = "map.currency.value";
    public static final String MAP_PRODUCT_ID_COLUMN = "map.product-id.column";
    public static final String MAP_PRODUCT_ID_VALUE = "map.product-id.value";
    public static final String MAP_QUANTITY_COLUMN = "map.quantity.column";
    public static final String MAP_UNIT_PRICE_COLUMN = "map.unit-price.column";
    public static final String MAP_URL_COLUMN = "map.url.column";

    /** Suffix to a one-line description (for documentation and {@code pulse config}). */
    public static final Map<String, String> DESCRIPTIONS;

    static {
        Map<String, String> d = new LinkedHashMap<>();
        d.put(URL, "JDBC URL of the database, e.g. jdbc:postgresql://pos-db:5432/pos (no password in it)");
        d.put(USER, "database user");
        d.put(PASSWORD, "database password: environment variable PULSE_INGEST_JDBC_<NAME>_PASSWORD only");
        d.put(TABLE, "table to poll ([schema.]table); either this or query");
        d.put(QUERY, "a SELECT to poll instead of a table; the poller adds its WHERE/ORDER BY around it");
        d.put(MODE, "incrementing | timestamp+incrementing");
        d.put(INCREMENTING_COLUMN, "strictly increasing integer id column (tie-breaker in timestamp+incrementing mode)");
        d.put(TIMESTAMP_COLUMN, "last-modified timestamp column (timestamp+incrementing mode only; must be NOT NULL)");
        d.put(TIMESTAMP_DELAY, "rows younger than this (by the database's clock) wait for the next poll, so that transactions still in flight with older timestamps are not skipped (default 5s)");
        d.put(TIMEZONE, "time zone of TIMESTAMP WITHOUT TIME ZONE columns (default UTC)");
        d.put(CURRENT_TIME_QUERY, "statement that returns the database's current time (default SELECT CURRENT_TIMESTAMP; Oracle: ... FROM DUAL)");
        d.put(POLL_INTERVAL, "pause between polls when the last poll found less than a full batch (default 1s)");
        d.put(BATCH_SIZE, "rows per poll and per delivered batch (default 500)");
        d.put(QUERY_TIMEOUT, "statement timeout of each poll (default 30s)");
        d.put(DELIVERY_TIMEOUT, "how long a batch may take to become durable before the poll is retried (default 2m)");
        d.put(POSITION_DIR, "directory of the position file <name>.position (default <data-dir>/jdbc-positions)");
        d.put(RETRY_INITIAL_BACKOFF, "first wait after a retriable failure; doubles per retry (default 500ms)");
        d.put(RETRY_MAX_BACKOFF, "longest wait between retries (default 30s)");
        d.put(RETRY_MAX_RETRIES, "consecutive retriable failures before the source stops; -1 retries for ever (default -1)");
        d.put(SOURCE_SYSTEM, "the envelope's source.system (default: the source name)");
        d.put(MAP_TENANT_COLUMN, "column holding the tenant; or map.tenant.value");
        d.put(MAP_TENANT_VALUE, "fixed tenant of every row");
        d.put(MAP_EVENT_ID_COLUMN, "column holding a UUID event id; default: a name-based UUID of table, id (and timestamp)");
        d.put(MAP_EVENT_TYPE_COLUMN, "column holding the event type; its values map through map.event-type.values.* or are EventType names");
        d.put(MAP_EVENT_TYPE_VALUE, "fixed event type of every row (PURCHASE, PAGE_VIEW, PRODUCT_VIEW, ADD_TO_CART, OTHER)");
        d.put(MAP_EVENT_TYPE_VALUES + "<value>", "event type of rows whose event-type column holds <value> (case-insensitive)");
        d.put(MAP_EVENT_TIME_COLUMN, "column holding the event time (default: timestamp.column)");
        d.put(MAP_CUSTOMER_ID_COLUMN, "column holding the customer id");
        d.put(MAP_SESSION_ID_COLUMN, "column holding the session id");
        d.put(MAP_CHANNEL_COLUMN, "column holding the channel; values map through map.channel.values.* or are Channel names");
        d.put(MAP_CHANNEL_VALUE, "fixed channel of every row (WEB, APP, STORE, OTHER; default OTHER)");
        d.put(MAP_CHANNEL_VALUES + "<value>", "channel of rows whose channel column holds <value> (case-insensitive)");
        d.put(MAP_STORE_ID_COLUMN, "column holding the store id");
        d.put(MAP_ORDER_ID_COLUMN, "purchases: column holding the order id");
        d.put(MAP_TOTAL_COLUMN, "purchases: column holding the order total (exact decimal, at most 4 places)");
        d.put(MAP_CURRENCY_COLUMN, "column holding the ISO 4217 currency; or map.currency.value");
        d.put(MAP_CURRENCY_VALUE, "fixed ISO 4217 currency of every row");
        d.put(MAP_PRODUCT_ID_COLUMN, "column holding the product id (purchases: of the single line item); or map.product-id.value");
        d.put(MAP_PRODUCT_ID_VALUE, "fixed product id");
        d.put(MAP_QUANTITY_COLUMN, "column holding the quantity (default 1)");
        d.put(MAP_UNIT_PRICE_COLUMN, "column holding the unit price (purchases: default total / quantity)");
        d.put(MAP_URL_COLUMN, "page views: column holding the URL");
        DESCRIPTIONS = java.util.Collections.unmodifiableMap(d);
    }

    private JdbcSourceKeys() {
    }

    /** The full key of a source's setting: {@code pulse.ingest.jdbc.<name>.<suffix>}. */
    public static String key(String sourceName, String suffix) {
        return PREFIX + sourceName + "." + suffix;
    }

    /** The environment variable that holds a source's password. */
    public static String passwordEnv(String sourceName) {
        return ConfigKeys.envName(key(sourceName, PASSWORD));
    }
}
