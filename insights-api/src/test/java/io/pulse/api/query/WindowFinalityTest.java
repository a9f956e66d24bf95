package io.pulse.api.query;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class WindowFinalityTest {
    private static final Instant END = Instant.parse("2026-11-21T10:01:00Z");
    private final WindowFinality finality = new WindowFinality(Duration.ofSeconds(30), Duration.ofMinutes(2));

    @Test
    void aMinuteIsFinalOnceTheTenantsStreamTimeReachesItsEndPlusTheWindowGrace() {
        Duration minute = Duration.ofMinutes(1);

        assertThat(finality.isFinal(minute, END, END.plusSeconds(30).minusMillis(1))).isFalse();
        assertThat(finality.isFinal(minute, END, END.plusSeconds(30))).isTrue();
        assertThat(finality.isFinal(Duration.ofMinutes(5), END, END.plusSeconds(30))).as("5-minute windows: the same grace").isTrue();
    }

    @Test
    void hoursAndDaysWaitForTheHourlyGrace() {
        assertThat(finality.isFinal(Duration.ofHours(1), END, END.plusSeconds(119))).isFalse();
        assertThat(finality.isFinal(Duration.ofHours(1), END, END.plusSeconds(120))).isTrue();
        assertThat(finality.isFinal(Duration.ofDays(1), END, END.plusSeconds(119))).isFalse();
    }

    @Test
    void nothingIsFinalBeforeTheTenantHasAnEvent() {
        assertThat(finality.isFinal(Duration.ofMinutes(1), END, null)).isFalse();
    }
}
