package io.pulse.ingest.jdbc;

import static io.pulse.ingest.jdbc.JdbcSourceKeys.*;

import io.pulse.avro.Channel;
import io.pulse.avro.EventType;
import io.pulse.common.config.ConfigException;
import io.pulse.common.config.ConfigKeys;
import io.pulse.common.config.Durations;
import io.pulse.common.config.TenantIds;
import io.pulse.ingest.delivery.SourceId;
import io.pulse.ingest.jdbc.EnvelopeMapping.ColumnOrValue;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The typed, validated configuration of one JDBC polling source, read from
 * {@code pulse.ingest.jdbc.<name>.*} keys ({@link JdbcSourceKeys}). Every problem is reported at once,
 * each naming its key; the password comes from the environment only and never appears in
 * {@link #toString()}.
 */
public record JdbcSourceConfig(
        String name,
        Connection connection,
        Polling polling,
        Retry retry,
        Duration deliveryTimeout,
        Path positionDir,
        String sourceSystem,
        EnvelopeMapping mapping) {

    public static final String SOURCE_KIND = "jdbc";

    /** How to reach the database. */
    public record Connection(String url, Optional<String> user, Optional<String> password) {
        @Override
        public String toString() {
            return "Connection[url=" + url + ", user=" + user.orElse("(none)") + ", password=" + password.map(p -> "***").orElse("(none)") + "]";
        }
    }

    /**
     * What is polled and how.
     *
     * @param timestampDelay only rows whose timestamp is older than the database's current time minus this
     *                       are read (timestamp+incrementing mode)
     */
    public record Polling(JdbcMode mode, Optional<String> table, Optional<String> query, String incrementingColumn,
                          Optional<String> timestampColumn, Duration timestampDelay, ZoneId timezone,
                          String currentTimeQuery, Duration interval, int batchSize, Duration queryTimeout) {

        /** The table polled, or {@code (query)}: the {@code pulse.origin.table} of dead letters. */
        public String relation() {
            return table.orElse("(query)");
        }
    }

    /** Backoff of retriable failures: initial doubling up to max; maxRetries consecutive failures, -1 for ever. */
    public record Retry(Duration initialBackoff, Duration maxBackoff, int maxRetries) {
        public boolean exhausted(int consecutiveFailures) {
            return maxRetries >= 0 && consecutiveFailures > maxRetries;
        }
    }

    public SourceId sourceId() {
        return new SourceId(SOURCE_KIND, name);
    }

    /** The file the source's position is kept in. */
    public Path positionFile() {
        return positionDir.resolve(name + ".position");
    }

    /** The names of every JDBC source configured in the file, in sorted order. */
    public static List<String> sourceNames(Map<String, String> file) {
        Set<String> names = new TreeSet<>();
        for (String key : file.keySet()) {
            if (key.startsWith(PREFIX)) {
                String rest = key.substring(PREFIX.length());
                int dot = rest.indexOf('.');
                names.add(dot < 0 ? rest : rest.substring(0, dot));
            }
        }
        return List.copyOf(names);
    }

    /** Every JDBC source configured in the file; all problems of all of them in one exception. */
    public static List<JdbcSourceConfig> loadAll(Map<String, String> file, Map<String, String> env, Path defaultPositionDir) {
        List<JdbcSourceConfig> configs = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (String name : sourceNames(file)) {
            try {
                configs.add(load(name, file, env, defaultPositionDir));
            } catch (ConfigException e) {
                problems.addAll(e.problems());
            }
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return List.copyOf(configs);
    }

    /**
     * Resolves the source {@code name}: environment variables ({@link ConfigKeys#envName}) override the file.
     *
     * @param defaultPositionDir where position files go unless {@code position.dir} says otherwise
     * @throws ConfigException naming every bad key
     */
    public static JdbcSourceConfig load(String name, Map<String, String> file, Map<String, String> env, Path defaultPositionDir) {
        return new Resolver(name, file, env).resolve(defaultPositionDir);
    }

    private static final class Resolver {
        private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_$]*");
        private static final Pattern TABLE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_$]*(\\.[A-Za-z_][A-Za-z0-9_$]*){0,2}");
        private static final Pattern SOURCE_NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,62}");
        private static final Set<String> KNOWN = Set.of(URL, USER, PASSWORD, TABLE, QUERY, MODE, INCREMENTING_COLUMN, TIMESTAMP_COLUMN,
                TIMESTAMP_DELAY, TIMEZONE, CURRENT_TIME_QUERY, POLL_INTERVAL, BATCH_SIZE, QUERY_TIMEOUT, DELIVERY_TIMEOUT, POSITION_DIR,
                RETRY_INITIAL_BACKOFF, RETRY_MAX_BACKOFF, RETRY_MAX_RETRIES, SOURCE_SYSTEM,
                MAP_TENANT_COLUMN, MAP_TENANT_VALUE, MAP_EVENT_ID_COLUMN, MAP_EVENT_TYPE_COLUMN, MAP_EVENT_TYPE_VALUE,
                MAP_EVENT_TIME_COLUMN, MAP_CUSTOMER_ID_COLUMN, MAP_SESSION_ID_COLUMN, MAP_CHANNEL_COLUMN, MAP_CHANNEL_VALUE,
                MAP_STORE_ID_COLUMN, MAP_ORDER_ID_COLUMN, MAP_TOTAL_COLUMN, MAP_CURRENCY_COLUMN, MAP_CURRENCY_VALUE,
                MAP_PRODUCT_ID_COLUMN, MAP_PRODUCT_ID_VALUE, MAP_QUANTITY_COLUMN, MAP_UNIT_PRICE_COLUMN, MAP_URL_COLUMN);

        private final String name;
        private final Map<String, String> file;
        private final Map<String, String> env;
        private final List<String> problems = new ArrayList<>();

        Resolver(String name, Map<String, String> file, Map<String, String> env) {
            this.name = name;
            this.file = file;
            this.env = env;
        }

        JdbcSourceConfig resolve(Path defaultPositionDir) {
            if (!SOURCE_NAME.matcher(name).matches()) {
                problems.add("the JDBC source name in '" + PREFIX + name + ".*' must be lower-case letters, digits, '_' and '-' (1 to 63), got '"
                        + name + "'");
                throw new ConfigException(problems);
            }
            checkKeys();

            String url = url();
            Optional<String> user = Optional.ofNullable(raw(USER));
            Optional<String> password = Optional.ofNullable(env.get(passwordEnv(name))).filter(p -> !p.isEmpty());

            Optional<String> table = Optional.ofNullable(typed(TABLE, null, s -> matching(s, TABLE_NAME, "must be a table name such as orders or pos.orders")));
            Optional<String> query = Optional.ofNullable(typed(QUERY, null, Resolver::selectStatement));
            if ((raw(TABLE) == null) == (raw(QUERY) == null)) {
                problems.add("exactly one of '" + key(TABLE) + "' and '" + key(QUERY) + "' must be set");
            }
            JdbcMode mode = required(MODE, JdbcMode::parse);
            String idColumn = required(INCREMENTING_COLUMN, Resolver::column);
            Optional<String> tsColumn = Optional.ofNullable(typed(TIMESTAMP_COLUMN, null, Resolver::column));
            Duration delay = typed(TIMESTAMP_DELAY, "5s", Durations::nonNegative);
            if (mode == JdbcMode.TIMESTAMP_INCREMENTING && tsColumn.isEmpty() && raw(TIMESTAMP_COLUMN) == null) {
                problems.add("'" + key(TIMESTAMP_COLUMN) + "' is required in mode " + mode);
            }
            if (mode == JdbcMode.INCREMENTING) {
                for (String onlyForTimestamps : List.of(TIMESTAMP_COLUMN, TIMESTAMP_DELAY)) {
                    if (raw(onlyForTimestamps) != null) {
                        problems.add("'" + key(onlyForTimestamps) + "' only applies in mode " + JdbcMode.TIMESTAMP_INCREMENTING
                                + "; remove it or change '" + key(MODE) + "'");
                    }
                }
            }
            ZoneId zone = typed(TIMEZONE, "UTC", s -> {
                try {
                    return ZoneId.of(s);
                } catch (RuntimeException e) {
                    throw new IllegalArgumentException("must be a time zone id such as UTC or Europe/Berlin");
                }
            });
            String nowQuery = typed(CURRENT_TIME_QUERY, "SELECT CURRENT_TIMESTAMP", Resolver::selectStatement);
            Duration interval = typed(POLL_INTERVAL, "1s", Durations::positive);
            Integer batchSize = typed(BATCH_SIZE, "500", s -> intBetween(s, 1, 100_000));
            Duration queryTimeout = typed(QUERY_TIMEOUT, "30s", Durations::positive);
            Duration deliveryTimeout = typed(DELIVERY_TIMEOUT, "2m", Durations::positive);
            Path positionDir = typed(POSITION_DIR, defaultPositionDir == null ? null : defaultPositionDir.toString(),
                    s -> Path.of(s).toAbsolutePath().normalize());
            if (positionDir == null && raw(POSITION_DIR) == null) {
                problems.add("'" + key(POSITION_DIR) + "' is required");
            }
            Duration initialBackoff = typed(RETRY_INITIAL_BACKOFF, "500ms", Durations::positive);
            Duration maxBackoff = typed(RETRY_MAX_BACKOFF, "30s", Durations::positive);
            if (initialBackoff != null && maxBackoff != null && maxBackoff.compareTo(initialBackoff) < 0) {
                problems.add("'" + key(RETRY_MAX_BACKOFF) + "' must be at least '" + key(RETRY_INITIAL_BACKOFF) + "' ("
                        + Durations.format(initialBackoff) + "), got '" + Durations.format(maxBackoff) + "'");
            }
            Integer maxRetries = typed(RETRY_MAX_RETRIES, "-1", s -> intBetween(s, -1, 1_000_000));
            String system = typed(SOURCE_SYSTEM, name, s -> s);

            EnvelopeMapping mapping = mapping(mode, tsColumn);

            if (!problems.isEmpty()) {
                throw new ConfigException(problems);
            }
            return new JdbcSourceConfig(name, new Connection(url, user, password),
                    new Polling(mode, table, query, idColumn, tsColumn, delay, zone, nowQuery, interval, batchSize, queryTimeout),
                    new Retry(initialBackoff, maxBackoff, maxRetries), deliveryTimeout, positionDir, system, mapping);
        }

        /** The URL is never quoted back: it may carry a secret. */
        private String url() {
            String url = raw(URL);
            if (url == null) {
                problems.add("'" + key(URL) + "' is required");
            } else if (!url.startsWith("jdbc:")) {
                problems.add("'" + key(URL) + "' must be a JDBC URL starting with 'jdbc:'");
            } else if (url.toLowerCase(Locale.ROOT).contains("password=")) {
                problems.add("'" + key(URL) + "' must not carry a password: set the environment variable " + passwordEnv(name));
            } else {
                return url;
            }
            return null;
        }

        private EnvelopeMapping mapping(JdbcMode mode, Optional<String> tsColumn) {
            ColumnOrValue tenant = columnOrValue(MAP_TENANT_COLUMN, MAP_TENANT_VALUE, true, s -> {
                if (!TenantIds.isValid(s)) {
                    throw new IllegalArgumentException("must be a tenant id: " + TenantIds.RULE);
                }
                return s;
            });
            Optional<String> eventId = optionalColumn(MAP_EVENT_ID_COLUMN);
            ColumnOrValue eventType = columnOrValue(MAP_EVENT_TYPE_COLUMN, MAP_EVENT_TYPE_VALUE, true, s -> eventType(s).name());
            Map<String, EventType> typeValues = valueMap(MAP_EVENT_TYPE_VALUES, Resolver::eventType);
            if (!typeValues.isEmpty() && eventType.column().isEmpty()) {
                problems.add("'" + key(MAP_EVENT_TYPE_VALUES) + "*' needs '" + key(MAP_EVENT_TYPE_COLUMN) + "'");
            }
            boolean incrementing = mode == JdbcMode.INCREMENTING;
            String eventTime = optionalColumn(MAP_EVENT_TIME_COLUMN).or(() -> incrementing ? Optional.empty() : tsColumn).orElse(null);
            if (eventTime == null && raw(MAP_EVENT_TIME_COLUMN) == null) {
                problems.add("'" + key(MAP_EVENT_TIME_COLUMN) + "' is required" + (incrementing ? " in mode " + mode : ""));
            }
            Optional<String> customer = optionalColumn(MAP_CUSTOMER_ID_COLUMN);
            Optional<String> session = optionalColumn(MAP_SESSION_ID_COLUMN);
            ColumnOrValue channel = columnOrValue(MAP_CHANNEL_COLUMN, MAP_CHANNEL_VALUE, false, s -> channel(s).name());
            Map<String, Channel> channelValues = valueMap(MAP_CHANNEL_VALUES, Resolver::channel);
            if (!channelValues.isEmpty() && channel.column().isEmpty()) {
                problems.add("'" + key(MAP_CHANNEL_VALUES) + "*' needs '" + key(MAP_CHANNEL_COLUMN) + "'");
            }
            Optional<String> store = optionalColumn(MAP_STORE_ID_COLUMN);
            Optional<String> order = optionalColumn(MAP_ORDER_ID_COLUMN);
            Optional<String> total = optionalColumn(MAP_TOTAL_COLUMN);
            ColumnOrValue currency = columnOrValue(MAP_CURRENCY_COLUMN, MAP_CURRENCY_VALUE, false, s -> {
                if (!s.matches("[A-Z]{3}")) {
                    throw new IllegalArgumentException("must be an ISO 4217 code of 3 upper-case letters such as EUR");
                }
                return s;
            });
            ColumnOrValue product = columnOrValue(MAP_PRODUCT_ID_COLUMN, MAP_PRODUCT_ID_VALUE, false, s -> s);
            Optional<String> quantity = optionalColumn(MAP_QUANTITY_COLUMN);
            Optional<String> unitPrice = optionalColumn(MAP_UNIT_PRICE_COLUMN);
            Optional<String> url = optionalColumn(MAP_URL_COLUMN);

            EnvelopeMapping mapping = new EnvelopeMapping(tenant, eventId, eventType, typeValues, eventTime, customer, session,
                    channel, channelValues, store, order, total, currency, product, quantity, unitPrice, url);
            for (EventType type : possibleTypes(eventType, typeValues)) {
                for (String missing : EnvelopeMapper.missingKeys(mapping, type)) {
                    problems.add("'" + key(missing) + "' is required: rows can map to event type " + type);
                }
            }
            return mapping;
        }

        /** The event types rows can map to, when known from configuration (else none are checked up front). */
        private static Set<EventType> possibleTypes(ColumnOrValue eventType, Map<String, EventType> values) {
            if (eventType.value().isPresent()) {
                return EnumSet.of(EventType.valueOf(eventType.value().get()));
            }
            return values.isEmpty() ? Set.of() : EnumSet.copyOf(values.values());
        }

        private void checkKeys() {
            String prefix = PREFIX + name + ".";
            for (String k : file.keySet()) {
                if (!k.startsWith(prefix)) {
                    continue;
                }
                String suffix = k.substring(prefix.length());
                if (suffix.equals(PASSWORD)) {
                    problems.add("'" + k + "' is a secret and must not be written in a configuration file: set the environment variable "
                            + passwordEnv(name) + " instead");
                } else if (!KNOWN.contains(suffix) && !isValueMapKey(suffix)) {
                    problems.add("unknown key '" + k + "'");
                }
            }
        }

        private static boolean isValueMapKey(String suffix) {
            return (suffix.startsWith(MAP_EVENT_TYPE_VALUES) && suffix.length() > MAP_EVENT_TYPE_VALUES.length())
                    || (suffix.startsWith(MAP_CHANNEL_VALUES) && suffix.length() > MAP_CHANNEL_VALUES.length());
        }

        private <T> Map<String, T> valueMap(String keyPrefix, Function<String, T> parse) {
            Map<String, T> m = new HashMap<>();
            String full = key(keyPrefix);
            for (Map.Entry<String, String> e : file.entrySet()) {
                if (e.getKey().startsWith(full) && e.getKey().length() > full.length()) {
                    String columnValue = e.getKey().substring(full.length()).toLowerCase(Locale.ROOT);
                    try {
                        m.put(columnValue, parse.apply(e.getValue().trim()));
                    } catch (IllegalArgumentException ex) {
                        problems.add("'" + e.getKey() + "' " + ex.getMessage() + ", got '" + e.getValue() + "'");
                    }
                }
            }
            return m;
        }

        private ColumnOrValue columnOrValue(String columnKey, String valueKey, boolean required, Function<String, String> parseValue) {
            String column = typed(columnKey, null, Resolver::column);
            String value = typed(valueKey, null, parseValue);
            boolean columnSet = raw(columnKey) != null;
            boolean valueSet = raw(valueKey) != null;
            if (columnSet && valueSet) {
                problems.add("only one of '" + key(columnKey) + "' and '" + key(valueKey) + "' may be set");
            } else if (required && !columnSet && !valueSet) {
                problems.add("one of '" + key(columnKey) + "' and '" + key(valueKey) + "' is required");
            }
            return new ColumnOrValue(Optional.ofNullable(column), Optional.ofNullable(value));
        }

        private Optional<String> optionalColumn(String suffix) {
            return Optional.ofNullable(typed(suffix, null, Resolver::column));
        }

        private String key(String suffix) {
            return JdbcSourceKeys.key(name, suffix);
        }

        private String raw(String suffix) {
            String k = key(suffix);
            String v = env.get(ConfigKeys.envName(k));
            if (v == null) {
                v = file.get(k);
            }
            return v == null || v.isBlank() ? null : v.trim();
        }

        private <T> T required(String suffix, Function<String, T> parse) {
            if (raw(suffix) == null) {
                problems.add("'" + key(suffix) + "' is required");
                return null;
            }
            return typed(suffix, null, parse);
        }

        private <T> T typed(String suffix, String defaultValue, Function<String, T> parse) {
            String v = raw(suffix);
            if (v == null) {
                v = defaultValue;
            }
            if (v == null) {
                return null;
            }
            try {
                return parse.apply(v);
            } catch (RuntimeException e) {
                String why = e instanceof NumberFormatException ? "must be a whole number" : e.getMessage();
                problems.add("'" + key(suffix) + "' " + why + ", got '" + v + "'");
                return null;
            }
        }

        private static String matching(String s, Pattern p, String expectation) {
            if (!p.matcher(s).matches()) {
                throw new IllegalArgumentException(expectation);
            }
            return s;
        }

        private static String column(String s) {
            return matching(s, IDENTIFIER, "must be a column name (letters, digits, '_', '$'; not quoted)");
        }

        private static String selectStatement(String s) {
            String t = s.strip();
            String lower = t.toLowerCase(Locale.ROOT);
            if (!(lower.startsWith("select") || lower.startsWith("with")) || t.contains(";")) {
                throw new IllegalArgumentException("must be a single SELECT statement without ';'");
            }
            return t;
        }

        private static EventType eventType(String s) {
            try {
                return EventType.valueOf(s.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("must be an event type: " + List.of(EventType.values()));
            }
        }

        private static Channel channel(String s) {
            try {
                return Channel.valueOf(s.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("must be a channel: " + List.of(Channel.values()));
            }
        }

        private static int intBetween(String s, int min, int max) {
            int n = Integer.parseInt(s);
            if (n < min || n > max) {
                throw new IllegalArgumentException("must be a whole number from " + min + " to " + max);
            }
            return n;
        }

    }
}
