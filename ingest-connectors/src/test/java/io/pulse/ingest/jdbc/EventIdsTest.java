package io.pulse.ingest.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class EventIdsTest {

    @Test
    void isTheRfc4122Version5Uuid() {
        // Python: uuid.uuid5(uuid.NAMESPACE_DNS, 'python.org')
        UUID dns = UUID.fromString("6ba7b810-9dad-11d1-80b4-00c04fd430c8");
        assertThat(EventIds.nameBased(dns, "python.org")).hasToString("886313e1-3b8a-5372-9b90-0c9aee199e5d");
    }

    @Test
    void derivesTheSameIdForTheSameRowVersionAndANewOneForAnUpdate() {
        Instant first = Instant.parse("2026-11-21T10:00:00.123456Z");

        // Python: uuid.uuid5(UUID('6f2b3c1e-8d4a-4f7b-9a51-2c0e7d9b4a13'), 'jdbc/pos/pos.sales/42') and '...@<timestamp>'
        assertThat(EventIds.forRow("pos", "pos.sales", 42, Optional.empty())).isEqualTo("f897b43f-248b-59f5-9802-66f6c7194706");
        assertThat(EventIds.forRow("pos", "pos.sales", 42, Optional.of(first))).isEqualTo("c9b92278-4548-5c49-b9a1-d62e32f37ed9");
        assertThat(EventIds.forRow("pos", "pos.sales", 42, Optional.of(first.plusNanos(1000))))
                .isNotEqualTo(EventIds.forRow("pos", "pos.sales", 42, Optional.of(first)));
    }

    @Test
    void rowsOfTwoDatabasesWithTheSameTableAndIdAreDifferentEvents() {
        assertThat(EventIds.forRow("pos-berlin", "sales", 1, Optional.empty()))
                .isNotEqualTo(EventIds.forRow("pos-hamburg", "sales", 1, Optional.empty()));
    }
}
