package io.pulse.api.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.javalin.http.BadRequestResponse;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class QueryRangeTest {
    private static final Instant NOW = Instant.parse("2026-11-21T10:30:00Z");
    private static final Duration HOUR = Duration.ofHours(1);

    @Test
    void defaultsToTheRoutesDefaultLengthEndingNow() {
        assertThat(QueryRange.parse(null, null, NOW, HOUR, QueryRange.MAX)).isEqualTo(new QueryRange(NOW.minusSeconds(3600), NOW));
        assertThat(QueryRange.parse("", " ", NOW, Duration.ofMinutes(5), QueryRange.MAX)).isEqualTo(new QueryRange(NOW.minusSeconds(300), NOW));
        assertThat(QueryRange.parse(null, "2026-11-21T09:00:00Z", NOW, HOUR, QueryRange.MAX))
                .isEqualTo(new QueryRange(Instant.parse("2026-11-21T08:00:00Z"), Instant.parse("2026-11-21T09:00:00Z")));
    }

    @Test
    void acceptsExactlyTheRoutesMaximum() {
        assertThat(QueryRange.parse("2026-11-20T10:30:00Z", "2026-11-21T10:30:00Z", NOW, HOUR, QueryRange.MAX).length())
                .isEqualTo(QueryRange.MAX);
        assertThat(QueryRange.parse("2026-11-14T10:30:00Z", "2026-11-21T10:30:00Z", NOW, HOUR, Duration.ofDays(7)).length())
                .isEqualTo(Duration.ofDays(7));
    }

    @Test
    void refusesBadRangesNamingTheParameter() {
        assertThatThrownBy(() -> QueryRange.parse("yesterday", null, NOW, HOUR, QueryRange.MAX))
                .isInstanceOf(BadRequestResponse.class).hasMessageContaining("'from'").hasMessageContaining("yesterday");
        assertThatThrownBy(() -> QueryRange.parse(null, "soon", NOW, HOUR, QueryRange.MAX))
                .isInstanceOf(BadRequestResponse.class).hasMessageContaining("'to'");
        assertThatThrownBy(() -> QueryRange.parse("2026-11-21T11:00:00Z", "2026-11-21T10:00:00Z", NOW, HOUR, QueryRange.MAX))
                .isInstanceOf(BadRequestResponse.class).hasMessageContaining("must not be after");
        assertThatThrownBy(() -> QueryRange.parse("2026-11-20T10:29:59Z", "2026-11-21T10:30:00Z", NOW, HOUR, QueryRange.MAX))
                .isInstanceOf(BadRequestResponse.class).hasMessageContaining("at most 24 hours");
        assertThatThrownBy(() -> QueryRange.parse("2026-11-01T00:00:00Z", "2026-11-21T00:00:00Z", NOW, HOUR, Duration.ofDays(7)))
                .isInstanceOf(BadRequestResponse.class).hasMessageContaining("at most 7 days");
        assertThatThrownBy(() -> QueryRange.parse("x".repeat(10_000), null, NOW, HOUR, QueryRange.MAX))
                .hasMessageNotContaining("x".repeat(100));
    }

    @Test
    void routesCannotAllowUnboundedRanges() {
        assertThatThrownBy(() -> QueryRange.parse(null, null, NOW, HOUR, Duration.ofDays(365)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at most");
        assertThatThrownBy(() -> QueryRange.parse(null, null, NOW, Duration.ofDays(2), QueryRange.MAX))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("default range");
    }
}
