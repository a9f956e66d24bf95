package io.pulse.common.testing;

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
import java.util.UUID;

/** Builders of envelopes for stage tests: {@code Envelopes.pageView("contoso", "10:00:05").build()}. */
public final class Envelopes {
    /** The day all short times ("10:00:05") fall on. */
    public static final String DAY = "2026-11-21";

    private Envelopes() {
    }

    /** An instant on {@link #DAY}, UTC, from "HH:mm:ss". */
    public static Instant at(String time) {
        return Instant.parse(DAY + "T" + time + "Z");
    }

    public static Envelope.Builder pageView(String tenant, String time) {
        return base(tenant, time, EventType.PAGE_VIEW)
                .setPayload(PageView.newBuilder().setUrl("/" + tenant + "/home").build());
    }

    public static Envelope.Builder addToCart(String tenant, String time, String product, String price, String currency) {
        return base(tenant, time, EventType.ADD_TO_CART)
                .setPayload(AddToCart.newBuilder().setProductId(product).setQuantity(1).setUnitPrice(money(price, currency)).build());
    }

    public static Envelope.Builder purchase(String tenant, String time, String total, String currency) {
        Money m = money(total, currency);
        return base(tenant, time, EventType.PURCHASE)
                .setPayload(Purchase.newBuilder().setOrderId("o-" + UUID.randomUUID())
                        .setLineItems(List.of(LineItem.newBuilder().setProductId("sku-1").setQuantity(1).setUnitPrice(m).build()))
                        .setTotal(m).build());
    }

    /** An instant on another day than {@link #DAY}, UTC: {@code at("2026-11-01", "10:00:00")}. */
    public static Instant at(String day, String time) {
        return Instant.parse(day + "T" + time + "Z");
    }

    public static Envelope.Builder productView(String tenant, String time, String product) {
        return base(tenant, time, EventType.PRODUCT_VIEW)
                .setPayload(ProductView.newBuilder().setProductId(product).build());
    }

    /** A purchase of these lines; the total is the exact sum of quantity × unit price, in the lines' currency. */
    public static Envelope.Builder purchase(String tenant, String time, LineItem... lines) {
        BigDecimal total = BigDecimal.ZERO.setScale(4);
        for (LineItem l : lines) {
            total = total.add(l.getUnitPrice().getAmount().multiply(BigDecimal.valueOf(l.getQuantity())));
        }
        return base(tenant, time, EventType.PURCHASE)
                .setPayload(Purchase.newBuilder().setOrderId("o-" + UUID.randomUUID())
                        .setLineItems(List.of(lines))
                        .setTotal(money(total.toPlainString(), lines[0].getUnitPrice().getCurrency())).build());
    }

    public static LineItem line(String product, int quantity, String unitPrice, String currency) {
        return LineItem.newBuilder().setProductId(product).setQuantity(quantity).setUnitPrice(money(unitPrice, currency)).build();
    }

    public static Money money(String amount, String currency) {
        return Money.newBuilder().setAmount(new BigDecimal(amount).setScale(4)).setCurrency(currency).build();
    }

    private static Envelope.Builder base(String tenant, String time, EventType type) {
        Instant t = at(time);
        return Envelope.newBuilder()
                .setEventId(UUID.randomUUID().toString())
                .setTenant(tenant)
                .setSource(Source.newBuilder().setSystem("stage-test").setKind(SourceKind.OTHER).build())
                .setEventType(type)
                .setEventTime(t)
                .setIngestionTime(t)
                .setCustomerId("c-1")
                .setSessionId("s-1")
                .setChannel(Channel.WEB)
                .setStoreId("web");
    }
}
