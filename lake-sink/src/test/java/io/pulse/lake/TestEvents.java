package io.pulse.lake;

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
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/** Envelopes for tests, one per payload branch, with readable defaults. */
public final class TestEvents {
    public static final Instant EVENT_TIME = Instant.parse("2024-05-01T13:45:30.123Z");
    public static final Instant INGESTION_TIME = Instant.parse("2024-05-01T13:45:31Z");

    private TestEvents() {
    }

    public static Envelope.Builder base(String eventId, String tenant, EventType type, Object payload) {
        return Envelope.newBuilder()
                .setEventId(eventId)
                .setTenant(tenant)
                .setSource(new Source("webshop", SourceKind.HTTP))
                .setEventType(type)
                .setEventTime(EVENT_TIME)
                .setIngestionTime(INGESTION_TIME)
                .setCustomerId("customer-42")
                .setSessionId("session-7")
                .setChannel(Channel.WEB)
                .setStoreId("web-de")
                .setPayload(payload);
    }

    public static Envelope pageView(String eventId, String tenant) {
        return base(eventId, tenant, EventType.PAGE_VIEW, new PageView("https://shop.example/home", null, "home")).build();
    }

    public static Envelope productView(String eventId, String tenant) {
        return base(eventId, tenant, EventType.PRODUCT_VIEW, new ProductView("sku-1", "shoes", money("59.9", "EUR"))).build();
    }

    public static Envelope addToCart(String eventId, String tenant) {
        return base(eventId, tenant, EventType.ADD_TO_CART, new AddToCart("sku-2", 3, money("12.34", "EUR"))).build();
    }

    public static Envelope purchase(String eventId, String tenant) {
        return base(eventId, tenant, EventType.PURCHASE, new Purchase("order-9",
                List.of(new LineItem("sku-1", 1, money("59.9", "EUR")), new LineItem("sku-2", 3, money("12.34", "EUR"))),
                money("96.92", "EUR"))).build();
    }

    /** An amount as the generated Money class carries it: scale 4. */
    public static Money money(String amount, String currency) {
        return new Money(new BigDecimal(amount).setScale(4), currency);
    }
}
