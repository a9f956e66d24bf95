package io.pulse.topology.stages;

import static io.pulse.common.testing.Envelopes.addToCart;
import static io.pulse.common.testing.Envelopes.at;
import static io.pulse.common.testing.Envelopes.money;
import static io.pulse.common.testing.Envelopes.pageView;
import static io.pulse.common.testing.Envelopes.productView;
import static io.pulse.common.testing.Envelopes.purchase;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.pulse.avro.Channel;
import io.pulse.avro.ShopperSession;
import io.pulse.common.topics.StoreNames;
import io.pulse.common.topics.TopicCatalogue;
import io.pulse.topology.TopologySettings;
import io.pulse.topology.testkit.StageTestKit;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.kstream.Windowed;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SessionStageTest {
    private static final String SHOPPER = "contoso/customer/c-1";
    private static final Duration GRACE = Duration.ofSeconds(30);

    private StageTestKit kit = new StageTestKit(TopologySettings.withGrace(GRACE));

    @AfterEach
    void close() {
        kit.close();
    }

    @Test
    void groupsAShoppersEventsWithinTheGapIntoOneSessionWithExactRevenuePerCurrency() {
        kit.send(
                pageView("contoso", "10:00:00").build(),
                productView("contoso", "10:10:00", "sku-7").setChannel(Channel.APP).build(),
                addToCart("contoso", "10:25:00", "sku-7", "0.10", "EUR").build(),
                purchase("contoso", "10:40:00", "0.10", "EUR").build(),
                purchase("contoso", "10:50:00", "0.20", "EUR").build(),
                purchase("contoso", "10:55:00", "3.50", "USD").build());

        List<KeyValue<Windowed<String>, ShopperSession>> sessions = sessions(SHOPPER);
        assertThat(sessions).singleElement().satisfies(s -> {
            assertThat(s.key.window().startTime()).isEqualTo(at("10:00:00"));
            assertThat(s.key.window().endTime()).isEqualTo(at("10:55:00"));
            ShopperSession v = s.value;
            assertThat(v.getEvents()).isEqualTo(6);
            assertThat(v.getPageViews()).isEqualTo(1);
            assertThat(v.getProductViews()).isEqualTo(1);
            assertThat(v.getCartAdds()).isEqualTo(1);
            assertThat(v.getPurchases()).isEqualTo(3);
            assertThat(v.getRevenue()).containsExactly(money("0.30", "EUR"), money("3.50", "USD"));
            assertThat(v.getRevenue().get(0).getAmount()).hasToString("0.3000");
            assertThat(v.getConverted()).isTrue();
            assertThat(v.getCustomerId()).isEqualTo("c-1");
            assertThat(v.getFirstChannel()).isEqualTo(Channel.WEB);
            assertThat(v.getChannels()).containsExactly(Channel.WEB, Channel.APP);
            assertThat(v.getStoreId()).isEqualTo("web");
        });
    }

    @Test
    void splitsWhereTheShopperPausedLongerThanTheGap() {
        kit.send(
                pageView("contoso", "10:00:00").build(),
                purchase("contoso", "10:20:00", "9.99", "EUR").build(),
                pageView("contoso", "10:50:01").build()); // 30 min 1 s after the last event

        assertThat(sessions(SHOPPER))
                .extracting(s -> s.key.window().startTime(), s -> s.key.window().endTime(), s -> s.value.getEvents(),
                        s -> s.value.getConverted())
                .containsExactly(
                        tuple(at("10:00:00"), at("10:20:00"), 1L + 1L, true),
                        tuple(at("10:50:01"), at("10:50:01"), 1L, false));
    }

    @Test
    void keepsAPauseOfExactlyTheGapInTheSession() {
        kit.send(
                pageView("contoso", "10:00:00").build(),
                pageView("contoso", "10:30:00").build());

        assertThat(sessions(SHOPPER)).singleElement()
                .satisfies(s -> assertThat(s.value.getDurationMs()).isEqualTo(Duration.ofMinutes(30).toMillis()));
    }

    @Test
    void mergesTwoSessionsWhenAnOutOfOrderEventBridgesThem() {
        restartWith(TopologySettings.withGrace(Duration.ofMinutes(5)));
        kit.send(
                pageView("contoso", "10:00:00").build(),
                purchase("contoso", "10:05:00", "12.34", "EUR").build(),
                purchase("contoso", "10:36:00", "7.66", "EUR").setChannel(Channel.APP).build()); // 31 min later: a second session
        assertThat(sessions(SHOPPER)).extracting(s -> s.key.window().startTime())
                .containsExactly(at("10:00:00"), at("10:36:00"));

        // 3 minutes behind stream time (grace 5 min), 28 min after the first session, 3 min before the second.
        kit.send(addToCart("contoso", "10:33:00", "sku-1", "7.66", "EUR").build());

        assertThat(sessions(SHOPPER)).singleElement().satisfies(s -> {
            assertThat(s.key.window().startTime()).isEqualTo(at("10:00:00"));
            assertThat(s.key.window().endTime()).isEqualTo(at("10:36:00"));
            assertThat(s.value.getEvents()).isEqualTo(4);
            assertThat(s.value.getPageViews()).isEqualTo(1);
            assertThat(s.value.getCartAdds()).isEqualTo(1);
            assertThat(s.value.getPurchases()).isEqualTo(2);
            assertThat(s.value.getRevenue()).containsExactly(money("20.00", "EUR"));
            assertThat(s.value.getFirstChannel()).isEqualTo(Channel.WEB);
            assertThat(s.value.getChannels()).containsExactly(Channel.WEB, Channel.APP);
        });

        // Close it: another shopper moves stream time past 10:36 + 30 min gap + 5 min grace.
        kit.send(pageView("contoso", "11:11:01").setCustomerId("c-2").build());

        List<KeyValue<String, ShopperSession>> finals = finals(SHOPPER);
        assertThat(finals).singleElement().satisfies(f -> {
            assertThat(f.key).isEqualTo("contoso/customer/c-1/2026-11-21T10:00:00Z");
            assertThat(f.value.getSessionStart()).isEqualTo(at("10:00:00"));
            assertThat(f.value.getSessionEnd()).isEqualTo(at("10:36:00"));
            assertThat(f.value.getDurationMs()).isEqualTo(Duration.ofMinutes(36).toMillis());
            assertThat(f.value.getEvents()).isEqualTo(4);
            assertThat(f.value.getPurchases()).isEqualTo(2);
            assertThat(f.value.getRevenue()).containsExactly(money("20.00", "EUR"));
        });
    }

    @Test
    void keysAnonymousShoppersByTheirSessionId() {
        kit.send(
                pageView("contoso", "10:00:00").setCustomerId(null).setSessionId("s-a").build(),
                productView("contoso", "10:01:00", "sku-2").setCustomerId(null).setSessionId("s-a").build(),
                pageView("contoso", "10:02:00").setCustomerId(null).setSessionId("s-b").build(),
                pageView("contoso", "10:03:00").setCustomerId("c-1").setSessionId("s-a").build(),
                pageView("contoso", "10:04:00").setCustomerId(null).setSessionId(null).build()); // nobody: no session

        assertThat(sessions("contoso/anonymous/s-a")).singleElement().satisfies(s -> {
            assertThat(s.value.getEvents()).isEqualTo(2);
            assertThat(s.value.getProductViews()).isEqualTo(1);
            assertThat(s.value.getCustomerId()).isNull();
            assertThat(s.value.getShopperKey()).isEqualTo("anonymous/s-a");
        });
        assertThat(sessions("contoso/anonymous/s-b")).singleElement()
                .satisfies(s -> assertThat(s.value.getEvents()).isEqualTo(1));
        assertThat(sessions(SHOPPER)).singleElement()
                .satisfies(s -> assertThat(s.value.getEvents()).isEqualTo(1));
        assertThat(kit.output(TopicCatalogue.SESSIONS).readValuesToList())
                .extracting(ShopperSession::getShopperKey)
                .containsOnly("anonymous/s-a", "anonymous/s-b", "customer/c-1")
                .hasSize(4);
    }

    @Test
    void publishesProvisionalUpdatesAndOneFinalRecordOnceGapAndGraceHavePassed() {
        kit.send(
                pageView("contoso", "10:00:00").build(),
                purchase("contoso", "10:10:00", "5.00", "EUR").build(),
                pageView("contoso", "10:40:30").setCustomerId("c-2").build()); // exactly 10:10 + gap + grace: still open

        List<KeyValue<String, ShopperSession>> first = outputOf(SHOPPER);
        assertThat(first).extracting(kv -> kv.value.getEvents(), kv -> kv.value.getFinal$())
                .containsExactly(tuple(1L, false), tuple(2L, false));

        kit.send(pageView("contoso", "10:40:31").setCustomerId("c-2").build(),
                pageView("contoso", "12:00:00").setCustomerId("c-2").build());

        List<KeyValue<String, ShopperSession>> closed = outputOf(SHOPPER);
        assertThat(closed).singleElement().satisfies(kv -> {
            assertThat(kv.key).isEqualTo("contoso/customer/c-1/2026-11-21T10:00:00Z");
            assertThat(kv.value.getFinal$()).isTrue();
            assertThat(kv.value.getEvents()).isEqualTo(2);
            assertThat(kv.value.getRevenue()).containsExactly(money("5.00", "EUR"));
        });
    }

    @Test
    void keepsASessionOpenWhileAnOnTimeEventCanStillJoinIt() {
        kit.send(
                pageView("contoso", "10:00:00").build(),
                pageView("contoso", "10:30:30").setCustomerId("c-2").build(), // stream time = 10:00 + gap + grace
                pageView("contoso", "10:30:00").build(),                      // on time (30 s behind), exactly one gap later
                pageView("contoso", "11:30:00").setCustomerId("c-2").build());

        assertThat(finals(SHOPPER)).singleElement().satisfies(f -> {
            assertThat(f.value.getEvents()).isEqualTo(2);
            assertThat(f.value.getSessionEnd()).isEqualTo(at("10:30:00"));
        });
    }

    private void restartWith(TopologySettings settings) {
        kit.close();
        kit = new StageTestKit(settings);
    }

    private List<KeyValue<Windowed<String>, ShopperSession>> sessions(String key) {
        return kit.sessions(StoreNames.SHOPPER_SESSIONS, key);
    }

    /** Records on the sessions topic for one shopper since the last read (of any shopper). */
    private List<KeyValue<String, ShopperSession>> outputOf(String shopper) {
        return kit.output(TopicCatalogue.SESSIONS).readKeyValuesToList().stream()
                .filter(kv -> kv.key.startsWith(shopper + "/"))
                .toList();
    }

    private List<KeyValue<String, ShopperSession>> finals(String shopper) {
        return outputOf(shopper).stream().filter(kv -> kv.value.getFinal$()).toList();
    }
}
