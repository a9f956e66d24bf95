package io.pulse.launcher.commands;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.lang.reflect.Array;
import java.math.BigDecimal;
import java.sql.Blob;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.TemporalAccessor;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.duckdb.DuckDBStruct;

/**
 * Turns what DuckDB's JDBC driver returns into plain values every output format shares: strings, exact
 * numbers, booleans, lists and maps; times as ISO-8601 text (with seconds always, and {@code Z} for UTC).
 */
final class LakeValues {
    /** Decimals stay exact and plain ({@code 12.3400}, never {@code 1.234E+1}). */
    static final ObjectMapper JSON = JsonMapper.builder().enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN).build();

    private LakeValues() {
    }

    /** A JDBC value as a String, Number, Boolean, List, Map or null. */
    static Object plain(Object value) throws SQLException {
        if (value == null || value instanceof String || value instanceof Number || value instanceof Boolean) {
            return value;
        }
        if (value instanceof Timestamp t) { // TIMESTAMP without time zone
            return DateTimeFormatter.ISO_LOCAL_DATE_TIME.format(t.toLocalDateTime());
        }
        if (value instanceof OffsetDateTime t) { // TIMESTAMP WITH TIME ZONE, in the session's zone (UTC)
            return DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(t);
        }
        if (value instanceof LocalDateTime t) {
            return DateTimeFormatter.ISO_LOCAL_DATE_TIME.format(t);
        }
        if (value instanceof LocalTime t) {
            return DateTimeFormatter.ISO_LOCAL_TIME.format(t);
        }
        if (value instanceof OffsetTime t) {
            return DateTimeFormatter.ISO_OFFSET_TIME.format(t);
        }
        if (value instanceof TemporalAccessor || value instanceof java.util.Date) { // LocalDate, java.sql.Date/Time
            return value.toString();
        }
        if (value instanceof java.sql.Array a) {
            Object elements = a.getArray();
            List<Object> list = new ArrayList<>();
            for (int i = 0; i < Array.getLength(elements); i++) {
                list.add(plain(Array.get(elements, i)));
            }
            return list;
        }
        if (value instanceof DuckDBStruct s) {
            return plainMap(s.getMap());
        }
        if (value instanceof Map<?, ?> m) {
            return plainMap(m);
        }
        if (value instanceof Blob b) {
            return Base64.getEncoder().encodeToString(b.getBytes(1, (int) b.length()));
        }
        if (value instanceof byte[] bytes) {
            return Base64.getEncoder().encodeToString(bytes);
        }
        return value.toString(); // UUID, INTERVAL, enums, ...
    }

    /** How a plain value reads in a table or CSV cell: decimals plain, lists and structs as compact JSON. */
    static String text(Object plain) {
        if (plain instanceof BigDecimal d) {
            return d.toPlainString();
        }
        if (plain instanceof List<?> || plain instanceof Map<?, ?>) {
            try {
                return JSON.writeValueAsString(plain);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("cannot render a nested value as JSON", e);
            }
        }
        return String.valueOf(plain);
    }

    private static Map<String, Object> plainMap(Map<?, ?> map) throws SQLException {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : map.entrySet()) {
            out.put(String.valueOf(e.getKey()), plain(e.getValue()));
        }
        return out;
    }
}
