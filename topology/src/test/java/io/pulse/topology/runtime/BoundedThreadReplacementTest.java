package io.pulse.topology.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
import static org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;

import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.junit.jupiter.api.Test;

class BoundedThreadReplacementTest {

    @Test
    void replacesAFailedThreadUpToTheLimitThenShutsTheClientDown() {
        BoundedThreadReplacement policy = new BoundedThreadReplacement(3);
        List<StreamThreadExceptionResponse> responses = new ArrayList<>();

        for (int i = 0; i < 5; i++) {
            responses.add(policy.handle(new IllegalStateException("failure " + i)));
        }

        assertThat(responses).containsExactly(REPLACE_THREAD, REPLACE_THREAD, REPLACE_THREAD, SHUTDOWN_CLIENT, SHUTDOWN_CLIENT);
        assertThat(policy.replacements()).isEqualTo(3);
    }

    @Test
    void withoutReplacementsTheFirstFailureShutsTheClientDown() {
        BoundedThreadReplacement policy = new BoundedThreadReplacement(0);

        assertThat(policy.handle(new OutOfMemoryError("simulated"))).isEqualTo(SHUTDOWN_CLIENT);
        assertThat(policy.replacements()).isZero();
    }
}
