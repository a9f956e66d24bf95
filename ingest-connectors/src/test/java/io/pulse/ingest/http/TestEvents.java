package io.pulse.ingest.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;

/** Request bodies for the ingest tests, in each format, built as JSON trees so a test can break one field. */
final class TestEvents {
    static final Instant NOW = Instant.parse("2026-11-21T10:30:00Z");
    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    static final String EVENT_TIME = "2026-11-21T10:29:00Z";
    static final String WEBSHOP_KEY = "webshop-key-0123456789";
    static final String POS_KEY = "pos-key-0123456789";
    static final String ADMIN_KEY = "admin-key-0123456789";
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private TestEvents() {
    }

    /** Source webshop for contoso and fabrikam; source pos for contoso only; an admin key. */
    static IngestHttpSettings.Builder settings() {
        return IngestHttpSettings.builder()
                .sourceKey("webshop", WEBSHOP_KEY, "contoso", "fabrikam")
                .sourceKey("pos", POS_KEY, "contoso")
                .adminKey(KeyHash.of(ADMIN_KEY));
    }

    static String newId() {
        return UUID.randomUUID().toString();
    }

    /** The body of a purchase of 2 x 4.50 EUR: what Pulse's JSON has at the top and CloudEvents in data. */
    static ObjectNode purchaseBody() {
        ObjectNode body = F.objectNode().put("customerId", "c-1").put("sessionId", "s-1").put("channel", "WEB").put("storeId", "web");
        ObjectNode payload = body.putObject("payload").put("orderId", "o-1");
        ObjectNode line = payload.putArray("lineItems").addObject().put("productId", "sku-1").put("quantity", 2);
        money(line.putObject("unitPrice"), "4.50");
        money(payload.putObject("total"), "9.00");
        return body;
    }

    static ObjectNode pageViewBody() {
        ObjectNode body = F.objectNode().put("customerId", "c-2").put("channel", "APP");
        body.putObject("payload").put("url", "/home");
        return body;
    }

    private static void money(ObjectNode m, String amount) {
        m.put("amount", amount).put("currency", "EUR");
    }

    static ObjectNode purchase(String tenant, String eventId) {
        return pulse("PURCHASE", tenant, eventId, purchaseBody());
    }

    static ObjectNode pageView(String tenant, String eventId) {
        return pulse("PAGE_VIEW", tenant, eventId, pageViewBody());
    }

    static ObjectNode pulse(String type, String tenant, String eventId, ObjectNode body) {
        ObjectNode e = F.objectNode();
        if (eventId != null) {
            e.put("eventId", eventId);
        }
        if (tenant != null) {
            e.put("tenant", tenant);
        }
        e.put("type", type).put("eventTime", EVENT_TIME);
        e.setAll(body);
        return e;
    }

    static ObjectNode cloudEvent(String id, String type, String tenant, ObjectNode data) {
        ObjectNode ce = F.objectNode().put("specversion", "1.0").put("id", id).put("source", "/webshop/checkout").put("type", type)
                .put("time", EVENT_TIME).put("datacontenttype", "application/json");
        if (tenant != null) {
            ce.put("tenant", tenant);
        }
        ce.set("data", data);
        return ce;
    }

    static ObjectNode eventGridEvent(String id, String eventType, String tenant, ObjectNode data) {
        ObjectNode d = data.deepCopy();
        if (tenant != null) {
            d.put("tenant", tenant);
        }
        ObjectNode eg = F.objectNode().put("id", id).put("topic", "/subscriptions/s1/resourceGroups/rg/providers/Microsoft.EventGrid/topics/shop")
                .put("subject", "orders/o-1").put("eventType", eventType).put("eventTime", "2026-11-21T10:29:00.1234567Z")
                .put("dataVersion", "1").put("metadataVersion", "1");
        eg.set("data", d);
        return eg;
    }

    static String array(JsonNode... events) {
        ArrayNode a = F.arrayNode();
        for (JsonNode e : events) {
            a.add(e);
        }
        return a.toString();
    }
}
