package io.pulse.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pulse.avro.EnrichedEvent;
import io.pulse.common.registry.InMemorySchemaRegistryClient;
import io.pulse.common.serde.SerdeFactory;
import java.util.List;
import org.apache.kafka.streams.errors.TopologyException;
import org.apache.kafka.streams.kstream.KStream;
import org.junit.jupiter.api.Test;

class PulseTopologyTest {
    private final TopologySerdes serdes = new TopologySerdes(new SerdeFactory(new InMemorySchemaRegistryClient()));

    @Test
    void refusesAStageThatLeavesAnInternalStoreUnnamed() {
        EngagementStage careless = new EngagementStage() {
            @Override
            public String name() {
                return "careless";
            }

            @Override
            public void build(StageContext context, KStream<String, EnrichedEvent> events) {
                events.groupByKey().count(); // no Grouped, no Materialized: generated names
            }
        };

        assertThatThrownBy(() -> PulseTopology.build(TopologySettings.defaults(), serdes, List.of(careless)))
                .isInstanceOf(TopologyException.class)
                .hasMessageContaining("has not been named");
    }

    @Test
    void namesEveryProcessorStoreAndTopicOfTheRealStages() {
        String description = PulseTopology.build(TopologySettings.defaults(), serdes).describe().toString();

        assertThat(description).doesNotContain("KSTREAM-").doesNotContain("KTABLE-").doesNotContain("KSTREAM-AGGREGATE-STATE-STORE");
    }
}
