package io.pulse.ingest.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pulse.avro.Channel;
import io.pulse.avro.Envelope;
import io.pulse.avro.EventType;
import io.pulse.avro.Purchase;
import io.pulse.avro.SourceKind;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvelopeMapperTest {
    private static final String P = "pulse.ingest.jdbc.pos.";
    private static final Instant SOLD = Instant.parse("2026-11-21T10:15:30.250Z");
    private static final Instant UPDATED = Instant.parse("2026-11-21T10:15:31.000500Z");
    private static final Instant NOW = Instant.parse("2026-11-21T10:16:00Z");

    private static Map<String, String> config() {
        Map<String, String> m = new HashMap<>();
        m.put(P + "url", "jdbc:postgresql://pos-db/pos");
        m.put(P + "table", "sales");
        m.put(P + "mode", "timestamp+incrementing");
        m.put(P + "incrementing.column", "id");
        m.put(P + "timestamp.column", "updated_at");
        m.put(P + "source.system", "pos-berlin-01");
        m.put(P + "map.tenant.column", "tenant");
        m.put(P + "map.event-type.column", "kind");
        m.put(P + "map.event-type.values.sale", "PURCHASE");
        m.put(P + "map.event-type.values.visit", "OTHER");
        m.put(P + "map.event-time.column", "sold_at");
        m.put(P + "map.customer-id.column", "customer");
        m.put(P + "map.channel.value", "STORE");
        m.put(P + "map.store-id.column", "store");
        m.put(P + "map.order-id.column", "receipt_no");
        m.put(P + "map.total.column", "total");
        m.put(P + "map.currency.column", "currency");
        m.put(P + "map.product-id.column", "sku");
        m.put(P + "map.quantity.column", "qty");
        return m;
    }

    private static EnvelopeMapper mapper(Map<String, String> config) {
        return new EnvelopeMapper(JdbcSourceConfig.load("pos", config, Map.of(), Path.of("positions")));
    }

    private static Map<String, Object> sale() {
        Map<String, Object> row = new HashMap<>();
        row.put("id", 42L);
        row.put("tenant", "contoso");
        row.put("kind", "Sale");
        row.put("sold_at", SOLD);
        row.put("updated_at", UPDATED);
        row.put("customer", "c-17");
        row.put("store", "berlin-01");
        row.put("receipt_no", "R-1001");
        row.put("total", new BigDecimal("59.97"));
        row.put("currency", "EUR");
        row.put("sku", "sku-7");
        row.put("qty", 3L);
        return row;
    }

    private static SourceRow row(Map<String, Object> values) {
        return new SourceRow(SourcePosition.of((Long) values.get("id"), (Instant) values.get("updated_at")), values);
    }

    @Test
    void mapsASaleToAPurchaseWithOneLineAndExactMoney() throws Exception {
        Envelope e = mapper(config()).map(row(sale()), NOW);

        assertThat(e.getTenant()).isEqualTo("contoso");
        assertThat(e.getEventType()).isEqualTo(EventType.PURCHASE);
        assertThat(e.getEventTime()).isEqualTo(SOLD);
        assertThat(e.getIngestionTime()).isEqualTo(NOW);
        assertThat(e.getSource().getSystem()).isEqualTo("pos-berlin-01");
        assertThat(e.getSource().getKind()).isEqualTo(SourceKind.DATABASE);
        assertThat(e.getChannel()).isEqualTo(Channel.STORE);
        assertThat(e.getStoreId()).isEqualTo("berlin-01");
        assertThat(e.getCustomerId()).isEqualTo("c-17");
        assertThat(e.getSessionId()).isNull();
        Purchase p = (Purchase) e.getPayload();
        assertThat(p.getOrderId()).isEqualTo("R-1001");
        assertThat(p.getTotal().getAmount()).isEqualTo(new BigDecimal("59.9700"));
        assertThat(p.getTotal().getCurrency()).isEqualTo("EUR");
        assertThat(p.getLineItems()).singleElement().satisfies(line -> {
            assertThat(line.getProductId()).isEqualTo("sku-7");
            assertThat(line.getQuantity()).isEqualTo(3);
            assertThat(line.getUnitPrice().getAmount()).isEqualTo(new BigDecimal("19.9900"));
        });
    }

    @Test
    void derivesTheEventIdFromSourceTableIdAndTimestamp() throws Exception {
        EnvelopeMapper mapper = mapper(config());

        Envelope once = mapper.map(row(sale()), NOW);
        Envelope again = mapper.map(row(sale()), NOW.plusSeconds(3600));
        Map<String, Object> updated = sale();
        updated.put("updated_at", UPDATED.plusSeconds(60));
        Envelope afterUpdate = mapper.map(row(updated), NOW);

        assertThat(once.getEventId()).isEqualTo(EventIds.forRow("pos", "sales", 42, java.util.Optional.of(UPDATED)));
        assertThat(again.getEventId()).as("a re-read is the same event").isEqualTo(once.getEventId());
        assertThat(afterUpdate.getEventId()).as("an update is a new event").isNotEqualTo(once.getEventId());
    }

    @Test
    void takesTheEventIdFromAColumnWhenConfigured() throws Exception {
        Map<String, String> config = config();
        config.put(P + "map.event-id.column", "uuid");
        Map<String, Object> sale = sale();
        sale.put("uuid", "0b0c5e0e-63a4-4c0e-9a43-5f3e6f0d2b11");

        assertThat(mapper(config).map(row(sale), NOW).getEventId()).isEqualTo("0b0c5e0e-63a4-4c0e-9a43-5f3e6f0d2b11");
    }

    @Test
    void mapsOtherKindsWithoutPayload() throws Exception {
        Map<String, Object> visit = sale();
        visit.put("kind", "VISIT");
        visit.put("total", null);

        Envelope e = mapper(config()).map(row(visit), NOW);

        assertThat(e.getEventType()).isEqualTo(EventType.OTHER);
        assertThat(e.getPayload()).isNull();
    }

    @Test
    void refusesRowsItCannotMapNamingColumnAndKey() {
        EnvelopeMapper mapper = mapper(config());
        Map<String, Object> noTenant = sale();
        noTenant.put("tenant", null);
        Map<String, Object> refund = sale();
        refund.put("kind", "refund");
        Map<String, Object> tooPrecise = sale();
        tooPrecise.put("total", new BigDecimal("59.97001"));
        Map<String, Object> indivisible = sale();
        indivisible.put("total", new BigDecimal("10.00"));
        Map<String, Object> textTime = sale();
        textTime.put("sold_at", "yesterday");

        assertThatThrownBy(() -> mapper.map(row(noTenant), NOW)).isInstanceOf(UnmappableRowException.class)
                .hasMessage("column 'tenant' (map.tenant.column) is NULL");
        assertThatThrownBy(() -> mapper.map(row(refund), NOW))
                .hasMessage("value 'refund' of column 'kind' (map.event-type.column) maps to no event type; map it with map.event-type.values.<value>");
        assertThatThrownBy(() -> mapper.map(row(tooPrecise), NOW))
                .hasMessage("column 'total' (map.total.column) holds 59.97001, which has more than 4 decimal places");
        assertThatThrownBy(() -> mapper.map(row(indivisible), NOW))
                .hasMessageStartingWith("total 10.0000 of column 'total' does not divide by quantity 3");
        assertThatThrownBy(() -> mapper.map(row(textTime), NOW))
                .hasMessageStartingWith("column 'sold_at' (map.event-time.column) holds 'yesterday', not a timestamp");
    }

    @Test
    void refusesRowsWhoseEnvelopeBreaksARuleNamingTheRule() {
        EnvelopeMapper mapper = mapper(config());
        Map<String, Object> badCurrency = sale();
        badCurrency.put("currency", "euro");
        Map<String, Object> badTenant = sale();
        badTenant.put("tenant", "Contoso GmbH");
        Map<String, Object> future = sale();
        future.put("sold_at", NOW.plusSeconds(3600));

        assertThatThrownBy(() -> mapper.map(row(badCurrency), NOW))
                .hasMessageStartingWith("envelope rule money.currency-code broken at payload.total.currency:");
        assertThatThrownBy(() -> mapper.map(row(badTenant), NOW)).hasMessageStartingWith("envelope rule tenant.valid broken at tenant:");
        assertThatThrownBy(() -> mapper.map(row(future), NOW))
                .hasMessageStartingWith("envelope rule time.event-not-after-ingestion broken at event_time:");
    }

    @Test
    void readsEnumNamesWhenNoValueMapIsConfigured() throws Exception {
        Map<String, String> config = config();
        config.keySet().removeIf(k -> k.startsWith(P + "map.event-type.values."));
        config.remove(P + "map.channel.value");
        config.put(P + "map.channel.column", "channel");
        Map<String, Object> sale = sale();
        sale.put("kind", "purchase");
        sale.put("channel", "web");

        Envelope e = mapper(config).map(row(sale), NOW);

        assertThat(e.getEventType()).isEqualTo(EventType.PURCHASE);
        assertThat(e.getChannel()).isEqualTo(Channel.WEB);
    }
}
