package io.pulse.ingest.blob;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pulse.avro.EventType;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The columns of a CSV drop, from its header row, and how a row becomes an event in Pulse's JSON shape (then read
 * by the same {@link io.pulse.ingest.json.JsonEventMapper} as JSON lines, so both formats are held to one set of
 * rules). Column names are matched ignoring case, '_', '-' and spaces ({@code event_time}, {@code eventTime} and
 * {@code Event Time} are one column); an empty cell is an absent value.
 *
 * <table>
 * <caption>Columns</caption>
 * <tr><th>column</th><th>event field</th><th>for</th></tr>
 * <tr><td>tenant, event_type, event_time</td><td>tenant, type, eventTime (required columns)</td><td>all</td></tr>
 * <tr><td>event_id, source_system, customer_id, session_id, channel, store_id</td><td>eventId, source, customerId, sessionId, channel, storeId</td><td>all</td></tr>
 * <tr><td>url, referrer, page_type</td><td>payload.url, .referrer, .pageType</td><td>PAGE_VIEW</td></tr>
 * <tr><td>product_id, category, price, currency</td><td>payload.productId, .category, .price</td><td>PRODUCT_VIEW</td></tr>
 * <tr><td>product_id, quantity, unit_price, currency</td><td>payload.productId, .quantity, .unitPrice</td><td>ADD_TO_CART</td></tr>
 * <tr><td>order_id, product_id, quantity, unit_price, currency, total</td><td>payload.orderId, one line item, .total
 *     (default quantity × unit_price)</td><td>PURCHASE</td></tr>
 * </table>
 *
 * <p>A purchase of several products is one JSON line; a CSV row holds one line item. A cell in a payload column
 * that does not apply to the row's type is refused, never dropped.
 */
final class CsvLayout {
    static final List<String> COLUMNS = List.of("event_id", "tenant", "event_type", "event_time", "source_system", "customer_id",
            "session_id", "channel", "store_id", "url", "referrer", "page_type", "product_id", "category", "price", "quantity",
            "unit_price", "order_id", "total", "currency");
    static final List<String> REQUIRED = List.of("tenant", "event_type", "event_time");
    private static final Map<String, String> ALIASES = Map.of("type", "event_type", "source", "source_system");
    private static final Map<String, String> TOP_LEVEL = Map.of("event_id", "eventId", "tenant", "tenant", "event_type", "type",
            "event_time", "eventTime", "source_system", "source", "customer_id", "customerId", "session_id", "sessionId",
            "channel", "channel", "store_id", "storeId");
    private static final Map<String, Set<String>> PAYLOAD_COLUMNS = Map.of(
            "PAGE_VIEW", Set.of("url", "referrer", "page_type"),
            "PRODUCT_VIEW", Set.of("product_id", "category", "price", "currency"),
            "ADD_TO_CART", Set.of("product_id", "quantity", "unit_price", "currency"),
            "PURCHASE", Set.of("order_id", "product_id", "quantity", "unit_price", "currency", "total"),
            "OTHER", Set.of());
    private static final Set<String> ALL_PAYLOAD_COLUMNS = Set.of("url", "referrer", "page_type", "product_id", "category", "price",
            "quantity", "unit_price", "order_id", "total", "currency");
    private static final Pattern INTEGER = Pattern.compile("[-+]?\\d{1,10}");
    private static final Pattern DECIMAL = Pattern.compile("-?\\d{1,40}(\\.\\d{1,40})?");
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final List<String> columns;

    private CsvLayout(List<String> columns) {
        this.columns = columns;
    }

    /** Reads the header row: every column known, none twice, the required ones present. */
    static CsvLayout fromHeader(String headerLine) throws BadLineException {
        List<String> names;
        try {
            names = CsvFields.split(headerLine);
        } catch (CsvFields.MalformedCsvException e) {
            throw new BadLineException(BadLineException.CSV_HEADER, "(header)", "the header row is not valid CSV: " + e.getMessage());
        }
        List<String> columns = new ArrayList<>(names.size());
        for (String name : names) {
            String column = canonical(name);
            if (column == null) {
                throw new BadLineException(BadLineException.CSV_HEADER, name, "the header row names an unknown column "
                        + quote(name) + " (known: " + String.join(", ", COLUMNS) + ")");
            }
            if (columns.contains(column)) {
                throw new BadLineException(BadLineException.CSV_HEADER, name, "the header row names column " + column + " twice");
            }
            columns.add(column);
        }
        for (String required : REQUIRED) {
            if (!columns.contains(required)) {
                throw new BadLineException(BadLineException.CSV_HEADER, required, "the header row lacks the required column "
                        + required + " (required: " + String.join(", ", REQUIRED) + ")");
            }
        }
        return new CsvLayout(List.copyOf(columns));
    }

    List<String> columns() {
        return columns;
    }

    /** One data row as a JSON event; the JSON reader then checks types and required fields. */
    ObjectNode toJson(String line) throws BadLineException {
        List<String> cells;
        try {
            cells = CsvFields.split(line);
        } catch (CsvFields.MalformedCsvException e) {
            throw new BadLineException(BadLineException.CSV, "(line)", "not valid CSV: " + e.getMessage());
        }
        if (cells.size() != columns.size()) {
            throw new BadLineException(BadLineException.CSV, "(line)", "the row has " + cells.size() + " fields, the header "
                    + columns.size());
        }
        Map<String, String> row = new LinkedHashMap<>();
        for (int i = 0; i < cells.size(); i++) {
            if (!cells.get(i).isEmpty()) {
                row.put(columns.get(i), cells.get(i));
            }
        }
        ObjectNode event = NODES.objectNode();
        TOP_LEVEL.forEach((column, field) -> {
            if (row.containsKey(column)) {
                event.put(field, row.get(column));
            }
        });
        String type = row.get("event_type");
        Set<String> applicable = type == null ? null : PAYLOAD_COLUMNS.get(type);
        if (applicable == null) {
            return event; // no or unknown type: the JSON reader names it
        }
        for (String column : row.keySet()) {
            if (ALL_PAYLOAD_COLUMNS.contains(column) && !applicable.contains(column)) {
                throw new BadLineException(BadLineException.CSV_COLUMN, column, "column " + column + " does not apply to an event of type "
                        + type + "; leave it empty (" + type + " uses: " + (applicable.isEmpty() ? "no payload columns"
                        : String.join(", ", COLUMNS.stream().filter(applicable::contains).toList())) + ")");
            }
        }
        switch (EventType.valueOf(type)) {
            case PAGE_VIEW -> {
                ObjectNode p = event.putObject("payload");
                putIfPresent(p, "url", row.get("url"));
                putIfPresent(p, "referrer", row.get("referrer"));
                putIfPresent(p, "pageType", row.get("page_type"));
            }
            case PRODUCT_VIEW -> {
                ObjectNode p = event.putObject("payload");
                putIfPresent(p, "productId", row.get("product_id"));
                putIfPresent(p, "category", row.get("category"));
                if (row.containsKey("price") || row.containsKey("currency")) {
                    money(p.putObject("price"), row.get("price"), row.get("currency"));
                }
            }
            case ADD_TO_CART -> {
                ObjectNode p = event.putObject("payload");
                putIfPresent(p, "productId", row.get("product_id"));
                quantity(p, row.get("quantity"));
                if (row.containsKey("unit_price") || row.containsKey("currency")) {
                    money(p.putObject("unitPrice"), row.get("unit_price"), row.get("currency"));
                }
            }
            case PURCHASE -> purchase(event.putObject("payload"), row);
            case OTHER -> {
                // no payload
            }
        }
        return event;
    }

    /**
     * The CSV column of a field in the JSON shape ({@code payload.lineItems[0].unitPrice.amount} is unit_price),
     * for messages about a row; the field itself when it has no column.
     */
    static String columnOf(String jsonField) {
        String f = jsonField.replace("payload.lineItems[0].", "payload.");
        for (Map.Entry<String, String> e : TOP_LEVEL.entrySet()) {
            if (e.getValue().equals(f)) {
                return e.getKey();
            }
        }
        return switch (f) {
            case "payload.url" -> "url";
            case "payload.referrer" -> "referrer";
            case "payload.pageType" -> "page_type";
            case "payload.productId" -> "product_id";
            case "payload.category" -> "category";
            case "payload.price.amount", "payload.price" -> "price";
            case "payload.quantity" -> "quantity";
            case "payload.unitPrice.amount", "payload.unitPrice" -> "unit_price";
            case "payload.orderId" -> "order_id";
            case "payload.total.amount", "payload.total" -> "total";
            case "payload.price.currency", "payload.unitPrice.currency", "payload.total.currency" -> "currency";
            default -> jsonField;
        };
    }

    private static void purchase(ObjectNode p, Map<String, String> row) {
        putIfPresent(p, "orderId", row.get("order_id"));
        ObjectNode item = p.putArray("lineItems").addObject();
        putIfPresent(item, "productId", row.get("product_id"));
        quantity(item, row.get("quantity"));
        String unitPrice = row.get("unit_price");
        String currency = row.get("currency");
        if (unitPrice != null || currency != null) {
            money(item.putObject("unitPrice"), unitPrice, currency);
        }
        String total = row.get("total");
        if (total == null && unitPrice != null && DECIMAL.matcher(unitPrice).matches() && row.get("quantity") != null
                && INTEGER.matcher(row.get("quantity")).matches()) {
            total = new BigDecimal(unitPrice).multiply(new BigDecimal(row.get("quantity"))).toPlainString();
        }
        if (total != null || currency != null) {
            money(p.putObject("total"), total, currency);
        }
    }

    /** A whole number as a JSON number; anything else stays text, which the JSON reader refuses with the field's name. */
    private static void quantity(ObjectNode node, String value) {
        if (value == null) {
            return;
        }
        if (INTEGER.matcher(value).matches()) {
            long n = Long.parseLong(value);
            if (n >= Integer.MIN_VALUE && n <= Integer.MAX_VALUE) {
                node.put("quantity", (int) n);
                return;
            }
        }
        node.put("quantity", value);
    }

    private static void money(ObjectNode money, String amount, String currency) {
        putIfPresent(money, "amount", amount);
        putIfPresent(money, "currency", currency);
    }

    private static void putIfPresent(ObjectNode node, String field, String value) {
        if (value != null) {
            node.put(field, value);
        }
    }

    private static String canonical(String name) {
        String key = normalized(name);
        for (String column : COLUMNS) {
            if (normalized(column).equals(key)) {
                return column;
            }
        }
        for (Map.Entry<String, String> alias : ALIASES.entrySet()) {
            if (normalized(alias.getKey()).equals(key)) {
                return alias.getValue();
            }
        }
        return null;
    }

    private static String normalized(String name) {
        return name.strip().toLowerCase(Locale.ROOT).replace("_", "").replace("-", "").replace(" ", "");
    }

    private static String quote(String s) {
        return "'" + (s.length() > 64 ? s.substring(0, 64) + "…" : s) + "'";
    }
}
