package io.pulse.ingest.blob;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class BlobLineMapperTest {
    private static final Instant NOW = Instant.parse("2026-11-21T12:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final BlobDrop JSONL = new BlobDrop("in/web.jsonl", "\"0x1\"", 100, null, BlobFormat.JSON_LINES);
    private static final BlobDrop CSV = new BlobDrop("in/pos.csv", "\"0x2\"", 100, null, BlobFormat.CSV);
    private static final String HEADER = "event_id,tenant,event_type,event_time,customer_id,channel,store_id,"
            + "url,product_id,category,price,quantity,unit_price,order_id,total,currency";

    @Test
    void aJsonLineWithoutIdGetsTheIdOfItsCoordinatesAndSourceKindBlob() throws Exception {
        Envelope e = mapper(JSONL).map(line(4, """
                {"tenant": "contoso", "type": "PAGE_VIEW", "eventTime": "2026-11-21T10:00:00Z", "payload": {"url": "/home"}}"""));

        assertThat(e.getEventId()).isEqualTo(BlobEventIds.of("devstoreaccount1", "drops", "in/web.jsonl", "0x1", 4));
        assertThat(e.getSource()).isEqualTo(new Source("blob/drops", SourceKind.BLOB));
        assertThat(e.getIngestionTime()).isEqualTo(NOW);
    }

    @Test
    void csvRowsOfEveryTypeBecomeTheEventsTheyDescribe() throws Exception {
        BlobLineMapper mapper = mapper(CSV);
        assertThat(mapper.header(line(1, HEADER))).isEmpty();

        Envelope view = mapper.map(line(2, "11111111-1111-1111-1111-111111111111,contoso,PAGE_VIEW,2026-11-21T10:00:00Z,c-1,WEB,web,"
                + "/home,,,,,,,,"));
        Envelope product = mapper.map(line(3, ",contoso,PRODUCT_VIEW,2026-11-21T10:01:00Z,c-1,web,web,,sku-1,\"shoes, red\",59.9,,,,,EUR"));
        Envelope cart = mapper.map(line(4, ",contoso,ADD_TO_CART,2026-11-21T10:02:00Z,c-1,WEB,web,,sku-1,,,2,59.90,,,EUR"));
        Envelope purchase = mapper.map(line(5, ",contoso,PURCHASE,2026-11-21T10:03:00+01:00,c-1,STORE,berlin-01,,sku-1,,,2,59.90,o-7,,EUR"));
        Envelope other = mapper.map(line(6, ",contoso,OTHER,2026-11-21T10:04:00Z,,,,,,,,,,,,"));

        assertThat(view).isEqualTo(envelope("11111111-1111-1111-1111-111111111111", EventType.PAGE_VIEW, "10:00:00", "c-1",
                Channel.WEB, "web", new PageView("/home", null, null)));
        assertThat(product.getPayload()).isEqualTo(new ProductView("sku-1", "shoes, red", money("59.9")));
        assertThat(product.getChannel()).isEqualTo(Channel.WEB);
        assertThat(cart.getPayload()).isEqualTo(new AddToCart("sku-1", 2, money("59.90")));
        assertThat(purchase).isEqualTo(envelope(BlobEventIds.of("devstoreaccount1", "drops", "in/pos.csv", "0x2", 5), EventType.PURCHASE,
                "09:03:00", "c-1", Channel.STORE, "berlin-01", new Purchase("o-7", List.of(new LineItem("sku-1", 2, money("59.90"))),
                        money("119.80"))));
        assertThat(other.getEventType()).isEqualTo(EventType.OTHER);
        assertThat(other.getPayload()).isNull();
        assertThat(other.getCustomerId()).isNull();
    }

    @Test
    void refusesALineForEachKindOfProblemWithARuleAndTheField() throws Exception {
        assertRefused(JSONL, "{\"tenant\": \"contoso\",", BadLineException.NOT_JSON, "(line)");
        assertRefused(JSONL, "{\"tenant\": \"contoso\"} trailing", BadLineException.NOT_JSON, "(line)");
        assertRefused(JSONL, """
                {"tenant": "Contoso!", "type": "OTHER", "eventTime": "2026-11-21T10:00:00Z"}""", "tenant.valid", "tenant");
        assertRefused(JSONL, """
                {"tenant": "contoso", "type": "ADD_TO_CART", "eventTime": "2026-11-21T10:00:00Z",
                 "payload": {"productId": "a", "quantity": 1, "unitPrice": {"amount": "1.00", "currency": "eur"}}}""".replace("\n", ""),
                "money.currency-code", "payload.unitPrice.currency");
        assertRefused(JSONL, """
                {"tenant": "contoso", "type": "OTHER", "eventTime": "2026-11-21T12:30:00Z"}""", "time.event-not-after-ingestion", "eventTime");
        assertRefused(JSONL, """
                {"tenant": "contoso", "type": "PAGE_VIEW", "eventTime": "2026-11-21T10:00:00Z", "payload": {"link": "/"}}""",
                "field.unknown", "payload.link");
    }

    @Test
    void refusesBadCsvRowsNamingTheColumn() throws Exception {
        assertRefusedCsv(",contoso,ADD_TO_CART,2026-11-21T10:02:00Z,c-1,WEB,web,,sku-1,,,two,59.90,,,EUR", "field.type", "quantity");
        assertRefusedCsv(",contoso,PAGE_VIEW,2026-11-21T10:02:00Z,c-1,WEB,web,/home,sku-1,,,,,,,", BadLineException.CSV_COLUMN, "product_id");
        assertRefusedCsv(",contoso,PURCHASE,2026-11-21T10:03:00Z,c-1,STORE,b,,sku-1,,,2,59.90,o-7,100.00,EUR",
                "purchase.total-matches-lines", "total");
        assertRefusedCsv(",contoso,PAGE_VIEW,2026-11-21T10:00:00Z", BadLineException.CSV, "(line)");
        assertRefusedCsv(",contoso,PAGE_VIEW,\"2026", BadLineException.CSV, "(line)");
    }

    @Test
    void aBadHeaderRefusesEveryRowWithTheHeadersProblem() throws Exception {
        BlobLineMapper mapper = mapper(CSV);
        assertThat(mapper.header(line(1, "tenant,event_type,when"))).get().extracting(BadLineException::rule).isEqualTo(BadLineException.CSV_HEADER);

        assertThatThrownBy(() -> mapper.map(line(2, "contoso,OTHER,2026-11-21T10:00:00Z")))
                .isInstanceOfSatisfying(BadLineException.class, e -> {
                    assertThat(e.rule()).isEqualTo(BadLineException.CSV_HEADER);
                    assertThat(e.getMessage()).contains("line 1 (the header row)").contains("unknown column 'when'");
                });
        assertThat(mapper(CSV).header(line(1, "tenant,event_time"))).get().extracting(Throwable::getMessage, org.assertj.core.api.InstanceOfAssertFactories.STRING)
                .contains("lacks the required column event_type");
    }

    @Test
    void headerColumnsMatchIgnoringCaseAndSeparators() throws Exception {
        BlobLineMapper mapper = mapper(CSV);
        assertThat(mapper.header(line(1, "Tenant,EventType,event-time,Source"))).isEmpty();

        Envelope e = mapper.map(line(2, "contoso,OTHER,2026-11-21T10:00:00Z,till-7"));

        assertThat(e.getSource().getSystem()).isEqualTo("till-7");
    }

    @Test
    void refusesALineThatIsTooLongOrNotUtf8() {
        LineReader.Line cut = new LineReader.Line(9, new byte[1024], 5000, 6000);
        LineReader.Line latin1 = new LineReader.Line(10, new byte[] {'{', (byte) 0xE9, '}'}, 3, 6004);

        assertThatThrownBy(() -> mapper(JSONL).map(cut)).isInstanceOfSatisfying(BadLineException.class,
                e -> assertThat(e.rule()).isEqualTo(BadLineException.TOO_LONG));
        assertThatThrownBy(() -> mapper(JSONL).map(latin1)).isInstanceOfSatisfying(BadLineException.class,
                e -> assertThat(e.rule()).isEqualTo(BadLineException.ENCODING));
    }

    private static void assertRefused(BlobDrop drop, String text, String rule, String field) {
        assertThatThrownBy(() -> mapper(drop).map(line(2, text))).as(text).isInstanceOfSatisfying(BadLineException.class, e -> {
            assertThat(e.rule()).isEqualTo(rule);
            assertThat(e.field()).isEqualTo(field);
        });
    }

    private static void assertRefusedCsv(String row, String rule, String column) throws Exception {
        BlobLineMapper mapper = mapper(CSV);
        mapper.header(line(1, HEADER));
        assertThatThrownBy(() -> mapper.map(line(2, row))).as(row).isInstanceOfSatisfying(BadLineException.class, e -> {
            assertThat(e.rule()).isEqualTo(rule);
            assertThat(e.field()).isEqualTo(column);
        });
    }

    private static BlobLineMapper mapper(BlobDrop drop) {
        return new BlobLineMapper(drop, "devstoreaccount1", "drops", "blob/drops", 1024, CLOCK);
    }

    private static LineReader.Line line(long number, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        return new LineReader.Line(number, bytes, bytes.length, 0);
    }

    private static Money money(String amount) {
        return new Money(new BigDecimal(amount).setScale(4), "EUR");
    }

    private static Envelope envelope(String id, EventType type, String time, String customer, Channel channel, String store, Object payload) {
        return new Envelope(id, "contoso", new Source("blob/drops", SourceKind.BLOB), type, Instant.parse("2026-11-21T" + time + "Z"), NOW,
                customer, null, channel, store, payload);
    }
}
