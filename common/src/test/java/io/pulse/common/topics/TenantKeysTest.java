package io.pulse.common.topics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class TenantKeysTest {
    @Test
    void placesEveryKeyOfATenantWhereKafkaPlacesTheBareTenant() {
        try (StringSerializer s = new StringSerializer()) {
            for (String tenant : List.of("contoso", "fabrikam", "northwind", "a", "tailspin-toys")) {
                for (int partitions : List.of(1, 4, 6, 32)) {
                    int kafka = BuiltInPartitioner.partitionForKey(s.serialize("t", tenant), partitions);
                    assertThat(TenantKeys.partition(TenantKeys.tenantOf(TenantKeys.of(tenant, "c-42", "x")), partitions))
                            .as("%s over %d partitions", tenant, partitions)
                            .isEqualTo(kafka);
                }
            }
        }
    }

    @Test
    void splitsTheTenantOffTheKey() {
        assertThat(TenantKeys.of("contoso", "c-1")).isEqualTo("contoso/c-1");
        assertThat(TenantKeys.tenantOf("contoso/c-1/s-9")).isEqualTo("contoso");
        assertThat(TenantKeys.tenantOf("contoso")).isEqualTo("contoso");
    }
}
