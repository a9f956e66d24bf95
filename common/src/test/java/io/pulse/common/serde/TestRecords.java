package io.pulse.common.serde;

import io.pulse.avro.Channel;
import io.pulse.avro.Envelope;
import io.pulse.avro.EventType;
import io.pulse.avro.LineItem;
import io.pulse.avro.Money;
import io.pulse.avro.Purchase;
import io.pulse.avro.Source;
import io.pulse.avro.SourceKind;
import io.pulse.avro.WindowedMetrics;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/** Realistic records for serde tests. */
final class TestRecords {

    private TestRecords() {
    }

    static Envelope purchase() {
        Purchase purchase = Purchase.newBuilder()
                .setOrderId("order-4711")
                .setLineItems(List.of(
                        LineItem.newBuilder().setProductId("sku-1").setQuantity(2).setUnitPrice(eur("19.9900")).build(),
                        LineItem.newBuilder().setProductId("sku-2").setQuantity(1).setUnitPrice(eur("0.0050")).build()))
                .setTotal(eur("39.9850"))
                .build();
        return Envelope.newBuilder()
                .setEventId("6f1c1d8e-6a8e-4b8e-9d7e-2b1f3c4d5e6f")
                .setTenant("acme")
                .setSource(Source.newBuilder().setSystem("pos-berlin-01").setKind(SourceKind.DATABASE).build())
                .setEventType(EventType.PURCHASE)
                .setEventTime(Instant.parse("2025-03-01T10:15:30.123Z"))
                .setIngestionTime(Instant.parse("2025-03-01T10:15:31.456Z"))
                .setCustomerId("customer-42")
                .setSessionId(null)
                .setChannel(Channel.STORE)
                .setStoreId("berlin-01")
                .setPayload(purchase)
                .build();
    }

    static WindowedMetrics metrics() {
        return WindowedMetrics.newBuilder()
                .setTenant("acme")
                .setStoreId("berlin-01")
                .setChannel("STORE")
                .setWindowSize("PT1M")
                .setWindowStart(Instant.parse("2025-03-01T10:15:00Z"))
                .setWindowEnd(Instant.parse("2025-03-01T10:16:00Z"))
                .setEvents(17)
                .setFinal$(true)
                .build();
    }

    private static Money eur(String amount) {
        return Money.newBuilder().setAmount(new BigDecimal(amount)).setCurrency("EUR").build();
    }
}
