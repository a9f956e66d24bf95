package io.pulse.ingest.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.pulse.ingest.json.EventFieldException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.Set;

/**
 * Reads the envelope-level attributes of a CloudEvent or an Event Grid event and knows where each is:
 * every problem names the field's path relative to the event and says what was expected and what came.
 * (The Pulse event body inside them is read by {@link io.pulse.ingest.json.JsonEventMapper}.)
 */
final class JsonFields {
    private static final int MAX_QUOTED_CHARS = 64;

    private final JsonNode node;
    private final String path;

    private JsonFields(JsonNode node, String path) {
        this.node = node;
        this.path = path;
    }

    /** The event itself ({@code path} empty) or an object inside it; anything but an object is a type problem. */
    static JsonFields object(JsonNode node, String path, String what) {
        if (node == null || !node.isObject()) {
            throw new EventFieldException(path, EventFieldException.TYPE,
                    (path.isEmpty() ? "an event" : path) + " must be a JSON object (" + what + "), got " + describe(node));
        }
        return new JsonFields(node, path);
    }

    JsonNode node() {
        return node;
    }

    String pathOf(String name) {
        return path.isEmpty() ? name : path + "." + name;
    }

    boolean has(String name) {
        JsonNode v = node.get(name);
        return v != null && !v.isNull();
    }

    /** Fails on the first field (in document order) that is not one of {@code allowed}: a typo must not go unnoticed. */
    void allowOnly(Set<String> allowed) {
        Iterator<String> names = node.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!allowed.contains(name)) {
                throw new EventFieldException(pathOf(name), EventFieldException.UNKNOWN, "unknown field " + quote(name) + " (known: "
                        + String.join(", ", allowed.stream().sorted().toList()) + ")");
            }
        }
    }

    /** A string field, or null when absent or JSON null. */
    String text(String name) {
        JsonNode v = node.get(name);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw typeProblem(name, "a string", v);
        }
        return v.textValue();
    }

    String requiredText(String name) {
        String v = text(name);
        if (v == null) {
            throw missing(name);
        }
        return v;
    }

    /** An ISO-8601 / RFC 3339 time with a zone offset, e.g. {@code 2026-11-21T10:15:30.250Z}. */
    Instant requiredTime(String name) {
        String v = requiredText(name);
        try {
            return OffsetDateTime.parse(v, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            throw new EventFieldException(pathOf(name), EventFieldException.FORMAT, pathOf(name)
                    + " must be an ISO-8601 time with an offset, such as 2026-11-21T10:15:30Z, got " + quote(v));
        }
    }

    /** A nested object, or null when absent or JSON null. */
    JsonFields object(String name, String what) {
        JsonNode v = node.get(name);
        if (v == null || v.isNull()) {
            return null;
        }
        return object(v, pathOf(name), what);
    }

    JsonFields requiredObject(String name, String what) {
        JsonFields o = object(name, what);
        if (o == null) {
            throw missing(name);
        }
        return o;
    }

    EventFieldException missing(String name) {
        return new EventFieldException(pathOf(name), EventFieldException.REQUIRED, pathOf(name) + " is required");
    }

    EventFieldException problem(String name, String rule, String message) {
        return new EventFieldException(pathOf(name), rule, message);
    }

    private EventFieldException typeProblem(String name, String expected, JsonNode got) {
        return new EventFieldException(pathOf(name), EventFieldException.TYPE, pathOf(name) + " must be " + expected + ", got " + describe(got));
    }

    static String describe(JsonNode v) {
        if (v == null || v.isMissingNode()) {
            return "nothing";
        }
        if (v.isNull()) {
            return "null";
        }
        if (v.isTextual()) {
            return "the string " + quote(v.textValue());
        }
        if (v.isNumber() || v.isBoolean()) {
            return (v.isNumber() ? "the number " : "") + cut(v.asText());
        }
        return v.isArray() ? "an array" : "an object";
    }

    /** Client data quoted into a message, cut short. */
    static String quote(String s) {
        return "'" + cut(s) + "'";
    }

    private static String cut(String s) {
        return s.length() > MAX_QUOTED_CHARS ? s.substring(0, MAX_QUOTED_CHARS) + "…" : s;
    }
}
