package io.pulse.lake.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pulse.avro.AddToCart;
import io.pulse.avro.Envelope;
import io.pulse.avro.EventType;
import io.pulse.avro.LineItem;
import io.pulse.avro.Money;
import io.pulse.avro.PageView;
import io.pulse.avro.Purchase;
import io.pulse.avro.lake.LakeEventRow;
import io.pulse.avro.lake.LakeLineItem;
import io.pulse.lake.TestEvents;
import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;

class LakeEventMapperTest {
    private static final String KEY = "a-test-key-of-some-length";
    private static final RecordOrigin ORIGIN = new RecordOrigin("pulse.events.v1", 3, 1234L);

    private final LakeEventMapper mapper = new LakeEventMapper(new Pseudonymiser(KEY));

    @Test
    void copiesEnvelopeFieldsAndLineage() {
        LakeEventRow row = mapper.toRow(TestEvents.pageView("e-1", "contoso"), ORIGIN);

        assertThat(row.getEventId()).isEqualTo("e-1");
        assertThat(row.getTenant()).isEqualTo("contoso");
        assertThat(row.getSourceSystem()).isEqualTo("webshop");
        assertThat(row.getSourceKind()).isEqualTo("HTTP");
        assertThat(row.getEventType()).isEqualTo("PAGE_VIEW");
        assertThat(row.getEventTime()).isEqualTo(TestEvents.EVENT_TIME);
        assertThat(row.getIngestionTime()).isEqualTo(TestEvents.INGESTION_TIME);
        assertThat(row.getSessionId()).isEqualTo("session-7");
        assertThat(row.getChannel()).isEqualTo("WEB");
        assertThat(row.getStoreId()).isEqualTo("web-de");
        assertThat(row.getPageUrl()).isEqualTo("https://shop.example/home");
        assertThat(row.getKafkaTopic()).isEqualTo("pulse.events.v1");
        assertThat(row.getKafkaPartition()).isEqualTo(3);
        assertThat(row.getKafkaOffset()).isEqualTo(1234L);
        assertThat(row.getProductId()).isNull();
        assertThat(row.getUnitPrice()).isNull();
        assertThat(row.getLineItems()).isNull();
    }

    @Test
    void customerIdBecomesItsHmacSha256UnderTheKey() {
        LakeEventRow row = mapper.toRow(TestEvents.pageView("e-1", "contoso"), ORIGIN);

        // Computed independently: printf 'customer-42' | openssl dgst -sha256 -hmac 'a-test-key-of-some-length'
        assertThat(row.getCustomerKey()).isEqualTo("1a4aba4008042b27f170868830b7069a45574ad40695f5b4ffb3bd483d5e37fd");
    }

    @Test
    void anotherKeyGivesAnUnrelatedPseudonym() {
        LakeEventMapper otherLake = new LakeEventMapper(new Pseudonymiser("another-key-of-some-length"));

        assertThat(otherLake.toRow(TestEvents.pageView("e-1", "contoso"), ORIGIN).getCustomerKey())
                .isEqualTo("343d3a277e16a11ee84431dfb1b683b86c1853039dbd34f16a96ab44c4bf6a84");
    }

    @Test
    void anonymousEventHasNoCustomerKey() {
        Envelope anonymous = TestEvents.base("e-1", "contoso", EventType.OTHER, null).setCustomerId(null).build();

        assertThat(mapper.toRow(anonymous, ORIGIN).getCustomerKey()).isNull();
    }

    @Test
    void flattensProductViewWithPrice() {
        LakeEventRow row = mapper.toRow(TestEvents.productView("e-2", "contoso"), ORIGIN);

        assertThat(row.getProductId()).isEqualTo("sku-1");
        assertThat(row.getUnitPrice()).isEqualTo(new BigDecimal("59.9000"));
        assertThat(row.getCurrency()).isEqualTo("EUR");
        assertThat(row.getQuantity()).isNull();
    }

    @Test
    void flattensAddToCart() {
        LakeEventRow row = mapper.toRow(TestEvents.addToCart("e-3", "contoso"), ORIGIN);

        assertThat(row.getProductId()).isEqualTo("sku-2");
        assertThat(row.getQuantity()).isEqualTo(3);
        assertThat(row.getUnitPrice()).isEqualTo(new BigDecimal("12.3400"));
        assertThat(row.getCurrency()).isEqualTo("EUR");
    }

    @Test
    void flattensPurchaseWithLineItems() {
        LakeEventRow row = mapper.toRow(TestEvents.purchase("e-4", "contoso"), ORIGIN);

        assertThat(row.getOrderId()).isEqualTo("order-9");
        assertThat(row.getOrderTotal()).isEqualTo(new BigDecimal("96.9200"));
        assertThat(row.getCurrency()).isEqualTo("EUR");
        assertThat(row.getLineItems()).containsExactly(
                new LakeLineItem("sku-1", 1, new BigDecimal("59.9000")),
                new LakeLineItem("sku-2", 3, new BigDecimal("12.3400")));
    }

    @Test
    void eventWithoutPayloadKeepsPayloadColumnsEmpty() {
        Envelope bare = TestEvents.base("e-5", "contoso", EventType.OTHER, null).build();

        LakeEventRow row = mapper.toRow(bare, ORIGIN);

        assertThat(row.getEventType()).isEqualTo("OTHER");
        assertThat(row.getPageUrl()).isNull();
        assertThat(row.getOrderId()).isNull();
    }

    @Test
    void amountsWithFewerDecimalsAreWidenedToScaleFour() {
        assertThat(LakeEventMapper.lakeDecimal(new BigDecimal("12.5"), "x")).isEqualTo(new BigDecimal("12.5000"));
        assertThat(LakeEventMapper.lakeDecimal(new BigDecimal("7"), "x").scale()).isEqualTo(4);
    }

    @Test
    void refusesAmountsItWouldHaveToRound() {
        Envelope tooPrecise = TestEvents.base("e-6", "contoso", EventType.ADD_TO_CART,
                new AddToCart("sku", 1, new Money(new BigDecimal("1.23456"), "EUR"))).build();

        assertThatThrownBy(() -> mapper.toRow(tooPrecise, ORIGIN))
                .isInstanceOf(LakeMappingException.class)
                .hasMessageContaining("unit_price.amount has more than 4 decimal places");
    }

    @Test
    void refusesAmountsBeyondEighteenDigits() {
        assertThatThrownBy(() -> LakeEventMapper.lakeDecimal(new BigDecimal("12345678901234567"), "total.amount"))
                .isInstanceOf(LakeMappingException.class)
                .hasMessageContaining("total.amount does not fit DECIMAL(18,4)");
    }

    @Test
    void refusesPayloadThatContradictsTheEventType() {
        Envelope mismatch = TestEvents.base("e-7", "contoso", EventType.PURCHASE, new PageView("https://x", null, null)).build();

        assertThatThrownBy(() -> mapper.toRow(mismatch, ORIGIN))
                .isInstanceOf(LakeMappingException.class)
                .hasMessage("event_type PURCHASE does not match its payload PageView");
    }

    @Test
    void refusesTenantThatIsNotADirectoryName() {
        Envelope escaping = TestEvents.base("e-8", "../etc", EventType.OTHER, null).build();

        assertThatThrownBy(() -> mapper.toRow(escaping, ORIGIN))
                .isInstanceOf(LakeMappingException.class)
                .hasMessageContaining("tenant '../etc' is not a valid tenant id");
    }

    @Test
    void refusesPurchaseWithLinesInAnotherCurrency() {
        Envelope mixed = TestEvents.base("e-9", "contoso", EventType.PURCHASE, new Purchase("order-1",
                List.of(new LineItem("sku-1", 1, TestEvents.money("1", "USD"))), TestEvents.money("1", "EUR"))).build();

        assertThatThrownBy(() -> mapper.toRow(mixed, ORIGIN))
                .isInstanceOf(LakeMappingException.class)
                .hasMessage("line_items[0] is priced in USD but the order total in EUR");
    }
}
