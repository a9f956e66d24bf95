package io.pulse.lake.layout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pulse.lake.mapping.LakeMappingException;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class HourlyLayoutTest {
    @Test
    void rowsArePartitionedByDatasetTenantAndTheirTimeInUtc() {
        // 23:30 in UTC-5 is 04:30 the next day in UTC.
        assertThat(HourlyLayout.directoryOf("events", "contoso", Instant.parse("2024-12-31T23:30:00-05:00")).relativePath())
                .isEqualTo("events/tenant=contoso/date=2025-01-01/hour=04");
        assertThat(HourlyLayout.directoryOf("metrics", "fabrikam", Instant.parse("2024-05-01T00:00:00Z")).relativePath())
                .isEqualTo("metrics/tenant=fabrikam/date=2024-05-01/hour=00");
    }

    @Test
    void refusesATenantThatIsNoTenantId() {
        assertThatThrownBy(() -> HourlyLayout.directoryOf("alerts", "../etc", Instant.EPOCH))
                .isInstanceOf(LakeMappingException.class).hasMessageContaining("'../etc' is not a valid tenant id");
    }
}
