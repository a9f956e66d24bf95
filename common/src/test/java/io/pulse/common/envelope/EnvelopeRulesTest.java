package io.pulse.common.envelope;

import static io.pulse.common.testing.Envelopes.addToCart;
import static io.pulse.common.testing.Envelopes.at;
import static io.pulse.common.testing.Envelopes.line;
import static io.pulse.common.testing.Envelopes.money;
import static io.pulse.common.testing.Envelopes.pageView;
import static io.pulse.common.testing.Envelopes.productView;
import static io.pulse.common.testing.Envelopes.purchase;
import static org.assertj.core.api.Assertions.assertThat;

import io.pulse.avro.AddToCart;
import io.pulse.avro.Envelope;
import io.pulse.avro.EventType;
import io.pulse.avro.Money;
import io.pulse.avro.PageView;
import io.pulse.avro.ProductView;
import io.pulse.avro.Purchase;
import io.pulse.avro.Source;
import io.pulse.avro.SourceKind;
import io.pulse.common.envelope.EnvelopeRules.Rule;
import io.pulse.common.envelope.EnvelopeRules.Violation;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class EnvelopeRulesTest {
    private static final String KEY = "contoso";

    @Test
    void acceptsWellFormedEventsOfEveryType() {
        assertThat(EnvelopeRules.firstViolation(KEY, pageView(KEY, "10:00:00").build())).isEmpty();
        assertThat(EnvelopeRules.firstViolation(KEY, productView(KEY, "10:00:00", "sku-1").build())).isEmpty();
        assertThat(EnvelopeRules.firstViolation(KEY, productView(KEY, "10:00:00", "sku-1")
                .setPayload(ProductView.newBuilder().setProductId("sku-1").setPrice(money("0", "JPY")).build()).build())).isEmpty();
        assertThat(EnvelopeRules.firstViolation(KEY, addToCart(KEY, "10:00:00", "sku-1", "19.99", "EUR").build())).isEmpty();
        assertThat(EnvelopeRules.firstViolation(KEY, purchase(KEY, "10:00:00",
                line("sku-1", 2, "10.5", "EUR"), line("sku-2", 3, "0.9999", "EUR")).build())).isEmpty();
        assertThat(EnvelopeRules.firstViolation(KEY, pageView(KEY, "10:00:00").setEventType(EventType.OTHER).setPayload(null).build()))
                .isEmpty();
    }

    @Test
    void rejectsARecordWithoutEnvelope() {
        assertThat(violation(KEY, null)).extracting(Violation::rule, Violation::field).containsExactly(Rule.ENVELOPE_PRESENT, "envelope");
    }

    @Test
    void rejectsAnEventIdThatIsNotAUuid() {
        for (String id : List.of("", "42", "not-a-uuid", "0f8fad5b-d9cb-469f-a165-70867728950", "0f8fad5b-d9cb-469f-a165-70867728950ez")) {
            assertThat(violation(KEY, pageView(KEY, "10:00:00").setEventId(id).build()))
                    .as(id).extracting(Violation::rule, Violation::field).containsExactly(Rule.EVENT_ID_UUID, "event_id");
        }
        assertThat(EnvelopeRules.firstViolation(KEY, pageView(KEY, "10:00:00").setEventId("0F8FAD5B-D9CB-469F-A165-70867728950E").build()))
                .as("upper-case hex is still a UUID").isEmpty();
    }

    @Test
    void rejectsAnInvalidTenantAndOneThatDiffersFromTheKey() {
        assertThat(violation("Contoso", pageView("Contoso", "10:00:00").build()))
                .extracting(Violation::rule, Violation::field).containsExactly(Rule.TENANT_VALID, "tenant");
        Violation v = violation("fabrikam", pageView(KEY, "10:00:00").build());
        assertThat(v).extracting(Violation::rule, Violation::field).containsExactly(Rule.TENANT_MATCHES_KEY, "tenant");
        assertThat(v.message()).contains("'contoso'", "'fabrikam'");
        assertThat(violation(null, pageView(KEY, "10:00:00").build()).rule()).isEqualTo(Rule.TENANT_MATCHES_KEY);
    }

    @Test
    void rejectsABlankSourceSystem() {
        Envelope e = pageView(KEY, "10:00:00").setSource(Source.newBuilder().setSystem(" ").setKind(SourceKind.HTTP).build()).build();
        assertThat(violation(KEY, e)).extracting(Violation::rule, Violation::field).containsExactly(Rule.SOURCE_SYSTEM_PRESENT, "source.system");
    }

    @Test
    void rejectsAMissingEventType() {
        Envelope e = pageView(KEY, "10:00:00").build();
        e.setEventType(null); // Avro's reader never gives null here; a producer's own code can
        assertThat(violation(KEY, e)).extracting(Violation::rule, Violation::field).containsExactly(Rule.EVENT_TYPE_KNOWN, "event_type");
    }

    @Test
    void rejectsAPayloadOfAnotherTypeThanTheEventType() {
        Envelope purchaseWithPageView = pageView(KEY, "10:00:00").setEventType(EventType.PURCHASE).build();
        Envelope pageViewWithout = pageView(KEY, "10:00:00").setPayload(null).build();
        Envelope otherWithPayload = pageView(KEY, "10:00:00").setEventType(EventType.OTHER).build();

        for (Envelope e : List.of(purchaseWithPageView, pageViewWithout, otherWithPayload)) {
            assertThat(violation(KEY, e)).as(e.getEventType().toString())
                    .extracting(Violation::rule, Violation::field).containsExactly(Rule.PAYLOAD_MATCHES_TYPE, "payload");
        }
        assertThat(violation(KEY, purchaseWithPageView).message()).contains("PURCHASE", "Purchase", "PageView");
    }

    @Test
    void rejectsTimestampsBefore2000() {
        Envelope zeroEventTime = pageView(KEY, "10:00:00").setEventTime(Instant.EPOCH).build();
        Envelope secondsForMillis = pageView(KEY, "10:00:00").setIngestionTime(Instant.ofEpochMilli(at("10:00:00").getEpochSecond())).build();

        assertThat(violation(KEY, zeroEventTime)).extracting(Violation::rule, Violation::field)
                .containsExactly(Rule.TIME_NOT_BEFORE_2000, "event_time");
        assertThat(violation(KEY, secondsForMillis)).extracting(Violation::rule, Violation::field)
                .containsExactly(Rule.TIME_NOT_BEFORE_2000, "ingestion_time");
        assertThat(EnvelopeRules.firstViolation(KEY, pageView(KEY, "10:00:00").setEventTime(EnvelopeRules.EARLIEST_TIME)
                .setIngestionTime(EnvelopeRules.EARLIEST_TIME).build())).isEmpty();
    }

    @Test
    void allowsAnEventTimeAtMostFiveMinutesAfterIngestion() {
        Instant ingested = at("10:00:00");
        Envelope skewed = pageView(KEY, "10:00:00").setIngestionTime(ingested).setEventTime(ingested.plus(Duration.ofMinutes(5))).build();
        Envelope future = pageView(KEY, "10:00:00").setIngestionTime(ingested).setEventTime(ingested.plus(Duration.ofMinutes(5)).plusMillis(1)).build();
        Envelope past = pageView(KEY, "10:00:00").setIngestionTime(ingested).setEventTime(ingested.minus(Duration.ofDays(3))).build();

        assertThat(EnvelopeRules.firstViolation(KEY, skewed)).isEmpty();
        assertThat(EnvelopeRules.firstViolation(KEY, past)).as("a till that was offline for days sends old events: valid (maybe late)").isEmpty();
        assertThat(violation(KEY, future)).extracting(Violation::rule, Violation::field)
                .containsExactly(Rule.EVENT_TIME_NOT_AFTER_INGESTION, "event_time");
        assertThat(EnvelopeRules.hasSaneTimes(skewed)).isTrue();
        assertThat(EnvelopeRules.hasSaneTimes(future)).isFalse();
    }

    @Test
    void rejectsACurrencyThatIsNotThreeUpperCaseLetters() {
        for (String currency : List.of("euro", "eur", "EU", "EURO", "€", "")) {
            assertThat(violation(KEY, addToCart(KEY, "10:00:00", "sku-1", "9.99", currency).build())).as(currency)
                    .extracting(Violation::rule, Violation::field).containsExactly(Rule.CURRENCY_CODE, "payload.unit_price.currency");
        }
        Envelope badPrice = productView(KEY, "10:00:00", "sku-1")
                .setPayload(ProductView.newBuilder().setProductId("sku-1").setPrice(money("1", "usd")).build()).build();
        assertThat(violation(KEY, badPrice).field()).isEqualTo("payload.price.currency");
    }

    @Test
    void rejectsNegativeAmountsAndAmountsThatDoNotFitTheDecimal() {
        assertThat(violation(KEY, addToCart(KEY, "10:00:00", "sku-1", "-5", "EUR").build()))
                .extracting(Violation::rule, Violation::field).containsExactly(Rule.AMOUNT_NON_NEGATIVE, "payload.unit_price.amount");
        for (String amount : List.of("0.00001", "123456789012345", "99999999999999.99999")) {
            Envelope e = addToCart(KEY, "10:00:00", "sku-1", "1", "EUR").build();
            ((AddToCart) e.getPayload()).setUnitPrice(Money.newBuilder().setAmount(new BigDecimal(amount)).setCurrency("EUR").build());
            assertThat(violation(KEY, e)).as(amount)
                    .extracting(Violation::rule, Violation::field).containsExactly(Rule.AMOUNT_SCALE, "payload.unit_price.amount");
        }
        Envelope largest = addToCart(KEY, "10:00:00", "sku-1", "99999999999999.9999", "EUR").build();
        assertThat(EnvelopeRules.firstViolation(KEY, largest)).as("14 digits before the point, 4 after: fits decimal(18, 4)").isEmpty();
    }

    @Test
    void rejectsQuantitiesBelowOne() {
        Envelope cart = addToCart(KEY, "10:00:00", "sku-1", "1", "EUR").build();
        ((AddToCart) cart.getPayload()).setQuantity(0);
        Envelope order = purchase(KEY, "10:00:00", line("sku-1", 1, "2", "EUR"), line("sku-2", -1, "2", "EUR")).build();

        assertThat(violation(KEY, cart)).extracting(Violation::rule, Violation::field).containsExactly(Rule.QUANTITY_POSITIVE, "payload.quantity");
        assertThat(violation(KEY, order)).extracting(Violation::rule, Violation::field)
                .containsExactly(Rule.QUANTITY_POSITIVE, "payload.line_items[1].quantity");
    }

    @Test
    void rejectsAPurchaseWhoseTotalIsNotTheSumOfItsLines() {
        Envelope e = purchase(KEY, "10:00:00", line("sku-1", 2, "10.5", "EUR"), line("sku-2", 3, "0.9999", "EUR")).build();
        ((Purchase) e.getPayload()).setTotal(money("24.0000", "EUR")); // 2 × 10.5 + 3 × 0.9999 = 23.9997

        Violation v = violation(KEY, e);

        assertThat(v).extracting(Violation::rule, Violation::field).containsExactly(Rule.PURCHASE_TOTAL_MATCHES_LINES, "payload.total.amount");
        assertThat(v.message()).contains("24.0000", "23.9997");
    }

    @Test
    void rejectsAPurchaseMixingCurrencies() {
        Envelope e = purchase(KEY, "10:00:00", line("sku-1", 1, "10", "EUR"), line("sku-2", 1, "10", "USD")).build();

        assertThat(violation(KEY, e)).extracting(Violation::rule, Violation::field)
                .containsExactly(Rule.PURCHASE_ONE_CURRENCY, "payload.line_items[1].unit_price.currency");
    }

    @Test
    void rejectsAPurchaseWithoutLineItems() {
        Envelope e = purchase(KEY, "10:00:00", "10.00", "EUR").build();
        ((Purchase) e.getPayload()).setLineItems(List.of());

        assertThat(violation(KEY, e)).extracting(Violation::rule, Violation::field).containsExactly(Rule.PAYLOAD_FIELD_PRESENT, "payload.line_items");
    }

    @Test
    void rejectsMissingPayloadFields() {
        Envelope noUrl = pageView(KEY, "10:00:00").setPayload(PageView.newBuilder().setUrl("").build()).build();
        Envelope noProduct = productView(KEY, "10:00:00", " ").build();

        assertThat(violation(KEY, noUrl)).extracting(Violation::rule, Violation::field).containsExactly(Rule.PAYLOAD_FIELD_PRESENT, "payload.url");
        assertThat(violation(KEY, noProduct)).extracting(Violation::rule, Violation::field)
                .containsExactly(Rule.PAYLOAD_FIELD_PRESENT, "payload.product_id");
    }

    @Test
    void reportsTheFirstBrokenRuleInAFixedOrder() {
        Envelope e = addToCart("Bad Tenant", "10:00:00", "sku-1", "-1", "euro").setEventId("x").build();

        assertThat(violation("Bad Tenant", e).rule()).isEqualTo(Rule.EVENT_ID_UUID);
    }

    @Test
    void quotesSourceDataShortly() {
        String longId = "x".repeat(10_000);

        assertThat(violation(KEY, pageView(KEY, "10:00:00").setEventId(longId).build()).message()).hasSizeLessThan(200);
    }

    @Test
    void countsARejectForTheKeysTenantElseTheEnvelopesElseUnattributed() {
        Envelope fromContoso = pageView(KEY, "10:00:00").build();
        Envelope fromNobody = pageView("NOT valid", "10:00:00").build();

        assertThat(EnvelopeRules.accountableTenant("fabrikam", fromContoso)).isEqualTo("fabrikam");
        assertThat(EnvelopeRules.accountableTenant(null, fromContoso)).isEqualTo(KEY);
        assertThat(EnvelopeRules.accountableTenant("Not Valid", fromContoso)).isEqualTo(KEY);
        assertThat(EnvelopeRules.accountableTenant(null, fromNobody)).isEqualTo(EnvelopeRules.UNATTRIBUTED);
        assertThat(EnvelopeRules.accountableTenant(null, null)).isEqualTo(EnvelopeRules.UNATTRIBUTED);
    }

    private static Violation violation(String key, Envelope e) {
        return EnvelopeRules.firstViolation(key, e).orElseThrow(() -> new AssertionError("expected a violation, got none"));
    }
}
