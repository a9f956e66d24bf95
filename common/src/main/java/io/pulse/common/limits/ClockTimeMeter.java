package io.pulse.common.limits;

import io.github.bucket4j.TimeMeter;
import java.time.Clock;

/** Bucket4j's time source read from an injected {@link Clock}, so that quota refills follow a test's clock too. */
public final class ClockTimeMeter implements TimeMeter {
    private final Clock clock;

    public ClockTimeMeter(Clock clock) {
        this.clock = clock;
    }

    @Override
    public long currentTimeNanos() {
        return clock.millis() * 1_000_000L;
    }

    @Override
    public boolean isWallClockBased() {
        return true;
    }
}
