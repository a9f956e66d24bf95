package io.pulse.ingest.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pulse.avro.Channel;
import io.pulse.avro.Envelope;
import io.pulse.avro.EventType;
import io.pulse.avro.LineItem;
import io.pulse.avro.Money;
import io.pulse.avro.PageView;
import io.pulse.avro.Purchase;
import io.pulse.avro.Source;
import io.pulse.avro.SourceKind;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class JsonEventMapperTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant NOW = Instant.parse("2026-11-21T12:00:00Z");
    private static final JsonEventMapper.Context CONTEXT = new JsonEventMapper.Context(SourceKind.BLOB, "blob/drops", NOW,
            () -> "00000000-0000-3000-8000-000000000001");

    @Test
    void readsAPurchaseWithEveryFieldIntoTheEnvelope() throws Exception {
        Envelope e = JsonEventMapper.map(json("""
                {"eventId": "6F1C0B7E-2D3A-4B5C-8D9E-0A1B2C3D4E5F", "tenant": "contoso", "type": "PURCHASE",
                 "eventTime": "2026-11-21T11:15:30+01:00", "source": "pos-berlin-01", "customerId": "c-1", "sessionId": "s-1",
                 "channel": "store", "storeId": "berlin-01",
                 "payload": {"orderId": "o-1", "lineItems": [{"productId": "sku-1", "quantity": 2, "unitPrice": {"amount": "4.5", "currency": "EUR"}}],
                             "total": {"amount": "9.00", "currency": "EUR"}}}
                """), CONTEXT);

        Money unit = new Money(new BigDecimal("4.5"), "EUR");
        assertThat(e).isEqualTo(new Envelope("6f1c0b7e-2d3a-4b5c-8d9e-0a1b2c3d4e5f", "contoso",
                new Source("pos-berlin-01", SourceKind.BLOB), EventType.PURCHASE, Instant.parse("2026-11-21T10:15:30Z"), NOW,
                "c-1", "s-1", Channel.STORE, "berlin-01",
                new Purchase("o-1", List.of(new LineItem("sku-1", 2, unit)), new Money(new BigDecimal("9.00"), "EUR"))));
    }

    @Test
    void takesIdAndSystemFromTheSourceWhenTheEventNamesNone() throws Exception {
        Envelope e = JsonEventMapper.map(json("""
                {"tenant": "contoso", "type": "PAGE_VIEW", "eventTime": "2026-11-21T10:00:00Z", "payload": {"url": "/home"}}
                """), CONTEXT);

        assertThat(e.getEventId()).isEqualTo("00000000-0000-3000-8000-000000000001");
        assertThat(e.getSource()).isEqualTo(new Source("blob/drops", SourceKind.BLOB));
        assertThat(e.getChannel()).isEqualTo(Channel.OTHER);
        assertThat(e.getPayload()).isEqualTo(new PageView("/home", null, null));
    }

    @Test
    void scalesAmountsToTheSchemaScaleExactly() throws Exception {
        Envelope e = JsonEventMapper.map(json("""
                {"tenant": "contoso", "type": "ADD_TO_CART", "eventTime": "2026-11-21T10:00:00Z",
                 "payload": {"productId": "sku-1", "quantity": 1, "unitPrice": {"amount": "12.5", "currency": "EUR"}}}
                """), CONTEXT);

        JsonEventMapper.scaleAmounts(e);

        assertThat(((io.pulse.avro.AddToCart) e.getPayload()).getUnitPrice().getAmount()).isEqualByComparingTo("12.5")
                .hasToString("12.5000");
    }

    @Test
    void namesTheFieldOfEachShapeProblem() {
        assertProblem("""
                {"tenant": "contoso", "type": "PAGE_VIEW", "eventTime": "2026-11-21T10:00:00Z", "payload": {}}""",
                "payload.url", EventFieldException.REQUIRED);
        assertProblem("""
                {"tenant": "contoso", "type": "CHECKOUT", "eventTime": "2026-11-21T10:00:00Z"}""", "type", EventFieldException.FORMAT);
        assertProblem("""
                {"tenant": "contoso", "type": "OTHER", "eventTime": "21.11.2026"}""", "eventTime", EventFieldException.FORMAT);
        assertProblem("""
                {"tenant": "contoso", "type": "OTHER", "eventTime": "2026-11-21T10:00:00Z", "evnetId": "x"}""",
                "evnetId", EventFieldException.UNKNOWN);
        assertProblem("""
                {"tenant": 7, "type": "OTHER", "eventTime": "2026-11-21T10:00:00Z"}""", "tenant", EventFieldException.TYPE);
        assertProblem("""
                {"tenant": "contoso", "type": "PURCHASE", "eventTime": "2026-11-21T10:00:00Z",
                 "payload": {"orderId": "o-1", "lineItems": [{"productId": "a", "quantity": "two",
                 "unitPrice": {"amount": "1", "currency": "EUR"}}], "total": {"amount": "2", "currency": "EUR"}}}""",
                "payload.lineItems[0].quantity", EventFieldException.TYPE);
        assertProblem("""
                {"tenant": "contoso", "type": "ADD_TO_CART", "eventTime": "2026-11-21T10:00:00Z",
                 "payload": {"productId": "a", "quantity": 1, "unitPrice": {"amount": 1.1, "currency": "EUR"}}}""",
                "payload.unitPrice.amount", EventFieldException.TYPE);
        assertProblem("[1, 2]", "(event)", EventFieldException.TYPE);
    }

    @Test
    void translatesEnvelopeRuleFieldsToJsonNames() {
        assertThat(JsonEventMapper.jsonField("payload.line_items[1].unit_price.currency")).isEqualTo("payload.lineItems[1].unitPrice.currency");
        assertThat(JsonEventMapper.jsonField("event_time")).isEqualTo("eventTime");
        assertThat(JsonEventMapper.jsonField("source.system")).isEqualTo("source");
    }

    private static void assertProblem(String event, String field, String rule) {
        assertThatThrownBy(() -> JsonEventMapper.map(json(event), CONTEXT))
                .isInstanceOfSatisfying(EventFieldException.class, e -> {
                    assertThat(e.field()).isEqualTo(field);
                    assertThat(e.rule()).isEqualTo(rule);
                    assertThat(e.getMessage()).isNotBlank();
                });
    }

    private static JsonNode json(String text) throws Exception {
        return JSON.readTree(text);
    }
}
