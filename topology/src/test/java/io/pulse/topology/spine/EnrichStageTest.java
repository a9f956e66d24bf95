package io.pulse.topology.spine;

import static io.pulse.topology.spine.SpineProbe.passed;
import static io.pulse.common.testing.Envelopes.pageView;
import static io.pulse.common.testing.Envelopes.purchase;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.pulse.avro.Channel;
import io.pulse.avro.Customer;
import io.pulse.avro.CustomerContext;
import io.pulse.avro.EnrichedEvent;
import io.pulse.avro.Envelope;
import io.pulse.avro.Store;
import io.pulse.avro.StoreContext;
import io.pulse.common.topics.TopicCatalogue;
import io.pulse.topology.TopologySettings;
import io.pulse.common.testing.Envelopes;
import io.pulse.topology.testkit.StageTestKit;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class EnrichStageTest {
    private static final CustomerContext UNKNOWN_CUSTOMER = CustomerContext.newBuilder().setKnown(false).build();
    private static final StoreContext UNKNOWN_STORE = StoreContext.newBuilder().setKnown(false).build();

    private final StageTestKit kit = SpineProbe.kit(TopologySettings.withGrace(Duration.ofSeconds(30)));

    @AfterEach
    void close() {
        kit.close();
    }

    @Test
    void addsWhatTheReferenceDataSaysAboutTheCustomerAndTheStore() {
        kit.sendCustomers(customer("contoso", "c-7", "gold", "families", "berlin-01"));
        kit.sendStores(store("contoso", "berlin-01", "DE-BE", "flagship"));
        Envelope visit = purchase("contoso", "10:00:00", "49.90", "EUR")
                .setCustomerId("c-7").setChannel(Channel.STORE).setStoreId("berlin-01").build();

        kit.send(visit);

        List<KeyValue<String, EnrichedEvent>> out = kit.output(SpineProbe.PASSED).readKeyValuesToList();
        assertThat(out).singleElement().satisfies(kv -> {
            assertThat(kv.key).as("still keyed by tenant").isEqualTo("contoso");
            assertThat(kv.value.getEvent()).isEqualTo(visit);
            assertThat(kv.value.getCustomer()).isEqualTo(CustomerContext.newBuilder()
                    .setKnown(true).setTier("gold").setSegment("families").setHomeStoreId("berlin-01").build());
            assertThat(kv.value.getStore()).isEqualTo(StoreContext.newBuilder()
                    .setKnown(true).setRegion("DE-BE").setFormat("flagship").build());
        });
        assertThat(kit.<Customer>keyValueStore(EnrichStage.CUSTOMERS_STORE).get("contoso/c-7").getTier()).isEqualTo("gold");
    }

    @Test
    void passesUnknownAndAnonymousReferencesMarkedUnknown() {
        kit.sendCustomers(customer("contoso", "c-7", "gold", null, null));
        kit.sendStores(store("contoso", "web", "online", "online"));
        Envelope unknownBoth = pageView("contoso", "10:00:00").setCustomerId("c-404").setStoreId("atlantis").build();
        Envelope anonymous = pageView("contoso", "10:00:01").setCustomerId(null).setSessionId("s-9").setStoreId(null).build();

        kit.send(unknownBoth, anonymous);

        assertThat(passed(kit)).extracting(EnrichedEvent::getEvent, EnrichedEvent::getCustomer, EnrichedEvent::getStore)
                .containsExactly(
                        tuple(unknownBoth, UNKNOWN_CUSTOMER, UNKNOWN_STORE),
                        tuple(anonymous, UNKNOWN_CUSTOMER, UNKNOWN_STORE));
    }

    @Test
    void seesACustomerUpdateInTheEventsThatFollowIt() {
        kit.sendCustomers(customer("contoso", "c-7", "silver", "students", null));
        kit.send(pageView("contoso", "10:00:00").setCustomerId("c-7").build());
        kit.sendCustomers(customer("contoso", "c-7", "gold", "students", null));
        kit.send(pageView("contoso", "10:00:10").setCustomerId("c-7").build());
        kit.input(TopicCatalogue.CUSTOMERS).pipeInput("contoso/c-7", null, Envelopes.at("00:00:00")); // forgotten (GDPR erasure)
        kit.send(pageView("contoso", "10:00:20").setCustomerId("c-7").build());

        assertThat(passed(kit)).extracting(e -> e.getCustomer().getKnown(), e -> e.getCustomer().getTier())
                .containsExactly(
                        tuple(true, "silver"),
                        tuple(true, "gold"),
                        tuple(false, null));
    }

    @Test
    void looksUpOnlyTheEventsOwnTenantsReferenceData() {
        kit.sendCustomers(customer("fabrikam", "c-1", "gold", null, null));
        kit.sendStores(store("fabrikam", "web", "EU", "online"));

        kit.send(pageView("contoso", "10:00:00").setCustomerId("c-1").setStoreId("web").build());

        assertThat(passed(kit)).singleElement().satisfies(e -> {
            assertThat(e.getCustomer().getKnown()).isFalse();
            assertThat(e.getStore().getKnown()).isFalse();
        });
    }

    private static Customer customer(String tenant, String id, String tier, String segment, String homeStore) {
        return Customer.newBuilder().setTenant(tenant).setCustomerId(id).setTier(tier).setSegment(segment).setHomeStoreId(homeStore).build();
    }

    private static Store store(String tenant, String id, String region, String format) {
        return Store.newBuilder().setTenant(tenant).setStoreId(id).setName(id).setRegion(region).setFormat(format).build();
    }
}
