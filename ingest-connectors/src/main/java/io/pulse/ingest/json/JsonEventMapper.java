package io.pulse.ingest.json;

import com.fasterxml.jackson.databind.JsonNode;
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
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Reads one event in Pulse's JSON event shape (the shape of {@code POST /ingest/v1/events}) into an envelope:
 *
 * <pre>{@code
 * {"eventId": "6f1c…", "tenant": "contoso", "type": "PURCHASE", "eventTime": "2026-11-21T10:15:30Z",
 *  "source": "pos-berlin-01", "customerId": "c-1", "sessionId": "s-1", "channel": "STORE", "storeId": "berlin-01",
 *  "payload": {"orderId": "o-1", "lineItems": [{"productId": "sku-1", "quantity": 2, "unitPrice": {"amount": "4.50", "currency": "EUR"}}],
 *              "total": {"amount": "9.00", "currency": "EUR"}}}
 * }</pre>
 *
 * <p>Checks shape and JSON types only, and fails on the first problem with the field's path
 * ({@link EventFieldException}); what the values must satisfy is {@link EnvelopeRules}' job, which the caller
 * applies next. Unknown fields are refused (a typo must not drop data silently); amounts are decimal strings
 * (a JSON number may have passed through a float); times are ISO-8601 with an offset. The source kind, the
 * ingestion time, the default source system and an event id for events without one are the source's
 * ({@link Context}), never the event's.
 */
public final class JsonEventMapper {
    /** Top-level fields of an event. */
    public static final Set<String> FIELDS = Set.of("eventId", "tenant", "type", "eventTime", "source", "customerId", "sessionId",
            "channel", "storeId", "payload");
    private static final Map<String, String> TOP_LEVEL_NAMES = Map.of(
            "event_id", "eventId", "source.system", "source", "event_type", "type", "event_time", "eventTime", "ingestion_time", "eventTime");
    private static final Pattern DECIMAL = Pattern.compile("-?\\d{1,40}(\\.\\d{1,40})?");
    private static final int MAX_QUOTED_CHARS = 64;

    /**
     * What the source decides for every event it reads.
     *
     * @param kind            the envelope's source kind
     * @param defaultSystem   the source system of events that name none
     * @param ingestionTime   when Pulse accepted the event
     * @param fallbackEventId the id of an event that has none (deterministic where the input can be read again)
     */
    public record Context(SourceKind kind, String defaultSystem, Instant ingestionTime, Supplier<String> fallbackEventId) {
        public Context {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(defaultSystem, "defaultSystem");
            Objects.requireNonNull(ingestionTime, "ingestionTime");
            Objects.requireNonNull(fallbackEventId, "fallbackEventId");
        }
    }

    private JsonEventMapper() {
    }

    /**
     * @throws EventFieldException naming the first field that cannot be read
     */
    public static Envelope map(JsonNode event, Context context) {
        Fields e = Fields.object(event, "", "a Pulse event");
        e.allowOnly(FIELDS);
        String id = e.text("eventId");
        String tenant = e.requiredText("tenant");
        String typeName = e.requiredText("type");
        EventType type = Arrays.stream(EventType.values()).filter(t -> t.name().equals(typeName)).findFirst()
                .orElseThrow(() -> e.problem("type", EventFieldException.FORMAT, "type must be one of "
                        + String.join(", ", Arrays.stream(EventType.values()).map(Enum::name).toList()) + ", got " + quote(typeName)));
        Instant eventTime = e.requiredTime("eventTime");
        String system = e.text("source");
        return Envelope.newBuilder()
                .setEventId(id == null ? context.fallbackEventId().get() : id.toLowerCase(Locale.ROOT))
                .setTenant(tenant)
                .setSource(Source.newBuilder().setSystem(system == null ? context.defaultSystem() : system).setKind(context.kind()).build())
                .setEventType(type)
                .setEventTime(eventTime)
                .setIngestionTime(context.ingestionTime())
                .setCustomerId(e.text("customerId"))
                .setSessionId(e.text("sessionId"))
                .setChannel(channel(e))
                .setStoreId(e.text("storeId"))
                .setPayload(payload(e, type))
                .build();
    }

    /**
     * The JSON name of an envelope field named by {@link EnvelopeRules} ({@code payload.line_items[0].unit_price}
     * is {@code payload.lineItems[0].unitPrice}), so a refused event names its own field.
     */
    public static String jsonField(String envelopeField) {
        String top = TOP_LEVEL_NAMES.get(envelopeField);
        return top != null ? top : camel(envelopeField);
    }

    /**
     * Brings every amount of a valid event to the schema's fixed scale ({@code "12.5"} becomes 12.5000), which the
     * Avro decimal needs on the wire. Call after the rules passed: they refuse amounts with more decimals.
     */
    public static void scaleAmounts(Envelope event) {
        Object payload = event.getPayload();
        if (payload instanceof ProductView p && p.getPrice() != null) {
            scale(p.getPrice());
        } else if (payload instanceof AddToCart a) {
            scale(a.getUnitPrice());
        } else if (payload instanceof Purchase p) {
            scale(p.getTotal());
            p.getLineItems().forEach(line -> scale(line.getUnitPrice()));
        }
    }

    private static void scale(Money m) {
        m.setAmount(m.getAmount().setScale(EnvelopeRules.MONEY_SCALE, RoundingMode.UNNECESSARY));
    }

    private static Channel channel(Fields e) {
        String name = e.text("channel");
        if (name == null) {
            return Channel.OTHER;
        }
        return Arrays.stream(Channel.values()).filter(c -> c.name().equals(name.toUpperCase(Locale.ROOT))).findFirst()
                .orElseThrow(() -> e.problem("channel", EventFieldException.FORMAT, "channel must be one of "
                        + Arrays.toString(Channel.values()) + ", got " + quote(name)));
    }

    private static Object payload(Fields e, EventType type) {
        if (type == EventType.OTHER) {
            if (e.has("payload")) {
                throw e.problem("payload", EventFieldException.UNKNOWN, "an event of type OTHER has no payload; leave payload out");
            }
            return null;
        }
        Fields p = e.requiredObject("payload", "the " + type + " details");
        return switch (type) {
            case PAGE_VIEW -> {
                p.allowOnly(Set.of("url", "referrer", "pageType"));
                yield new PageView(p.requiredText("url"), p.text("referrer"), p.text("pageType"));
            }
            case PRODUCT_VIEW -> {
                p.allowOnly(Set.of("productId", "category", "price"));
                String product = p.requiredText("productId");
                String category = p.text("category");
                Fields price = p.object("price", "an amount and a currency");
                yield new ProductView(product, category, price == null ? null : money(price));
            }
            case ADD_TO_CART -> {
                p.allowOnly(Set.of("productId", "quantity", "unitPrice"));
                yield new AddToCart(p.requiredText("productId"), p.requiredInt("quantity"),
                        money(p.requiredObject("unitPrice", "an amount and a currency")));
            }
            case PURCHASE -> purchase(p);
            case OTHER -> throw new IllegalStateException("handled above");
        };
    }

    private static Purchase purchase(Fields p) {
        p.allowOnly(Set.of("orderId", "lineItems", "total"));
        String orderId = p.requiredText("orderId");
        List<LineItem> lines = new ArrayList<>();
        for (Fields line : p.requiredObjects("lineItems", "line items")) {
            line.allowOnly(Set.of("productId", "quantity", "unitPrice"));
            lines.add(new LineItem(line.requiredText("productId"), line.requiredInt("quantity"),
                    money(line.requiredObject("unitPrice", "an amount and a currency"))));
        }
        return new Purchase(orderId, lines, money(p.requiredObject("total", "an amount and a currency")));
    }

    /** The amount keeps the scale written, so the rules can refuse more than 4 decimals; see {@link #scaleAmounts}. */
    private static Money money(Fields m) {
        m.allowOnly(Set.of("amount", "currency"));
        return new Money(m.requiredDecimal("amount"), m.requiredText("currency"));
    }

    static String quote(String s) {
        return "'" + (s.length() > MAX_QUOTED_CHARS ? s.substring(0, MAX_QUOTED_CHARS) + "…" : s) + "'";
    }

    /** {@code unit_price} to {@code unitPrice}, keeping dots and array indexes. */
    static String camel(String snake) {
        StringBuilder b = new StringBuilder(snake.length());
        boolean upper = false;
        for (char c : snake.toCharArray()) {
            if (c == '_') {
                upper = true;
            } else {
                b.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return b.toString();
    }

    /** The fields of one JSON object, and where it is in the event: every problem names the field's path. */
    private static final class Fields {
        private final JsonNode node;
        private final String path;

        private Fields(JsonNode node, String path) {
            this.node = node;
            this.path = path;
        }

        static Fields object(JsonNode node, String path, String what) {
            if (node == null || !node.isObject()) {
                throw new EventFieldException(path.isEmpty() ? "(event)" : path, EventFieldException.TYPE,
                        (path.isEmpty() ? "an event" : path) + " must be a JSON object (" + what + "), got " + describe(node));
            }
            return new Fields(node, path);
        }

        String pathOf(String name) {
            return path.isEmpty() ? name : path + "." + name;
        }

        boolean has(String name) {
            JsonNode v = node.get(name);
            return v != null && !v.isNull();
        }

        void allowOnly(Set<String> allowed) {
            Iterator<String> names = node.fieldNames();
            while (names.hasNext()) {
                String name = names.next();
                if (!allowed.contains(name)) {
                    throw new EventFieldException(pathOf(name), EventFieldException.UNKNOWN, "unknown field " + quote(name)
                            + " (known: " + String.join(", ", new TreeSet<>(allowed)) + ")");
                }
            }
        }

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

        int requiredInt(String name) {
            JsonNode v = node.get(name);
            if (v == null || v.isNull()) {
                throw missing(name);
            }
            if (!v.isIntegralNumber() || !v.canConvertToInt()) {
                throw typeProblem(name, "a whole number from " + Integer.MIN_VALUE + " to " + Integer.MAX_VALUE, v);
            }
            return v.intValue();
        }

        Instant requiredTime(String name) {
            String v = requiredText(name);
            try {
                return OffsetDateTime.parse(v, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
            } catch (DateTimeParseException e) {
                throw new EventFieldException(pathOf(name), EventFieldException.FORMAT, pathOf(name)
                        + " must be an ISO-8601 time with an offset, such as 2026-11-21T10:15:30Z, got " + quote(v));
            }
        }

        BigDecimal requiredDecimal(String name) {
            JsonNode v = node.get(name);
            if (v == null || v.isNull()) {
                throw missing(name);
            }
            if (!v.isTextual()) {
                throw typeProblem(name, "a decimal string such as \"12.50\" (numbers are refused: they may have lost precision)", v);
            }
            if (!DECIMAL.matcher(v.textValue()).matches()) {
                throw new EventFieldException(pathOf(name), EventFieldException.FORMAT, pathOf(name)
                        + " must be a decimal such as \"12.50\", got " + quote(v.textValue()));
            }
            return new BigDecimal(v.textValue());
        }

        Fields object(String name, String what) {
            JsonNode v = node.get(name);
            if (v == null || v.isNull()) {
                return null;
            }
            return object(v, pathOf(name), what);
        }

        Fields requiredObject(String name, String what) {
            Fields o = object(name, what);
            if (o == null) {
                throw missing(name);
            }
            return o;
        }

        List<Fields> requiredObjects(String name, String what) {
            JsonNode v = node.get(name);
            if (v == null || v.isNull()) {
                throw missing(name);
            }
            if (!v.isArray()) {
                throw typeProblem(name, "an array of " + what, v);
            }
            List<Fields> items = new ArrayList<>(v.size());
            for (int i = 0; i < v.size(); i++) {
                items.add(object(v.get(i), pathOf(name) + "[" + i + "]", what));
            }
            return items;
        }

        EventFieldException missing(String name) {
            return new EventFieldException(pathOf(name), EventFieldException.REQUIRED, pathOf(name) + " is required");
        }

        EventFieldException problem(String name, String rule, String message) {
            return new EventFieldException(pathOf(name), rule, message);
        }

        private EventFieldException typeProblem(String name, String expected, JsonNode got) {
            return new EventFieldException(pathOf(name), EventFieldException.TYPE, pathOf(name) + " must be " + expected
                    + ", got " + describe(got));
        }

        private static String describe(JsonNode v) {
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
                return (v.isNumber() ? "the number " : "") + quote(v.asText());
            }
            return v.isArray() ? "an array" : "an object";
        }
    }
}
