package io.pulse.api.insights;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.pulse.api.query.LocalRead;
import io.pulse.api.query.StoreReads;
import io.pulse.api.query.WindowRow;
import io.pulse.api.query.WindowSize;
import io.pulse.avro.CurrencySum;
import io.pulse.avro.MetricsState;
import io.pulse.common.serde.GeneratedClassTrust;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the answers say about the stores' aggregates: derived rates, exact money, final flags, freshness, JSON names. */
class ResponsesTest {
    private static final Instant T = Instant.parse("2026-11-21T10:00:00Z");

    static {
        GeneratedClassTrust.install(); // building records with nested defaults loads their classes by name
    }

    private final ObjectMapper json = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    @Test
    void derivesRatesAndAverageOrderValuesFromTheStoredSums() throws Exception {
        MetricsState state = MetricsState.newBuilder().setEvents(40).setOrders(3).setSessions(8).setCartSessions(2).setUniqueCustomers(6)
                .setRevenue(List.of(CurrencySum.newBuilder().setCurrency("EUR").setOrders(3).setAmount(new BigDecimal("100.0000")).build()))
                .build();
        MetricsQuery q = new MetricsQuery("contoso", WindowSize.PT1M, null, null, T, T.plusSeconds(3600));

        MetricsResponse r = MetricsResponse.of(q, false, List.of(new WindowRow<>("contoso", T, T.plusSeconds(60), state)),
                end -> end.equals(T.plusSeconds(60)), Freshness.of(T.plusSeconds(90), LocalRead.active(2, "localhost:7070"), T.plusSeconds(100)));
        JsonNode w = json.valueToTree(r).get("windows").get(0);

        assertThat(w.get("final").asBoolean()).isTrue();
        assertThat(w.get("conversionRate").asDouble()).isEqualTo(3.0 / 8);
        assertThat(w.get("addToCartRate").asDouble()).isEqualTo(0.25);
        assertThat(w.get("revenue").get(0).get("revenue").asText()).isEqualTo("100.0000");
        assertThat(w.get("revenue").get(0).get("averageOrderValue").asText()).as("100 / 3, half-even").isEqualTo("33.3333");
        assertThat(w.get("store").isNull()).isTrue();
        assertThat(r.totalEvents()).isEqualTo(40);
        JsonNode f = json.valueToTree(r).get("freshness");
        assertThat(f.get("newestEventTime").asText()).isEqualTo("2026-11-21T10:01:30Z");
        assertThat(f.get("ageSeconds").asLong()).isEqualTo(10);
        assertThat(f.get("servedBy").asText()).isEqualTo("localhost:7070");
        assertThat(f.get("stale").asBoolean()).isFalse();
        assertThat(f.get("lagRecords").asLong()).isZero();
    }

    @Test
    void aWindowWithoutSessionsHasNoRatesAndAnEmptyAggregateNoRevenue() {
        MetricsQuery q = new MetricsQuery("contoso", WindowSize.PT1M, null, null, T, T);

        MetricsResponse.Window w = MetricsResponse.of(q, false, List.of(new WindowRow<>("contoso", T, T.plusSeconds(60),
                MetricsState.newBuilder().setEvents(3).build())), end -> false, null).windows().get(0);

        assertThat(w.conversionRate()).isNull();
        assertThat(w.addToCartRate()).isNull();
        assertThat(w.revenue()).isEmpty();
        assertThat(w.closed()).isFalse();
    }

    @Test
    void namesTheStoreAndChannelOfEachPerStoreWindowEvenWhenTheStoreIdHasASlash() {
        MetricsQuery q = new MetricsQuery("contoso", WindowSize.PT5M, null, "STORE", T, T);
        MetricsState s = MetricsState.newBuilder().setEvents(1).build();

        MetricsResponse r = MetricsResponse.of(q, true, List.of(
                new WindowRow<>("contoso/oslo/1/STORE", T, T.plusSeconds(300), s),
                new WindowRow<>("contoso/-/STORE", T, T.plusSeconds(300), s)), end -> false, null);

        assertThat(r.windows()).extracting(MetricsResponse.Window::store, MetricsResponse.Window::channel)
                .containsExactly(tuple("oslo/1", "STORE"), tuple("-", "STORE"));
        assertThat(StoreReads.StoreChannel.of("contoso")).isEqualTo(new StoreReads.StoreChannel(null, null));
    }

    @Test
    void aStaleAnswerSaysSoWithItsLagAndAnEventAheadOfTheClockIsNotOfNegativeAge() {
        Freshness f = Freshness.of(T.plusSeconds(5), LocalRead.stale(1, 42L, "localhost:7071"), T);

        assertThat(f.stale()).isTrue();
        assertThat(f.lagRecords()).isEqualTo(42L);
        assertThat(f.ageSeconds()).isZero();
        assertThat(Freshness.of(null, LocalRead.stale(1, null, "localhost:7071"), T).ageSeconds()).isNull();
    }
}
