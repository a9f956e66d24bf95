package io.pulse.ingest.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulse.common.registry.IncompatibleSchemaException;
import io.pulse.common.registry.SchemaRegistryException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.stream.Stream;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.CorruptRecordException;
import org.apache.kafka.common.errors.NetworkException;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class DeliveryFailuresTest {

    static Stream<Arguments> failures() {
        return Stream.of(
                Arguments.of(new TimeoutException("Expiring 3 record(s): 30000 ms has passed since batch creation"), FailureKind.UNREACHABLE),
                Arguments.of(new TimeoutException("Topic pulse.events.v1 not present in metadata after 60000 ms."), FailureKind.UNREACHABLE),
                Arguments.of(new NetworkException("connection reset"), FailureKind.UNREACHABLE),
                Arguments.of(new NotEnoughReplicasException("ISR too small"), FailureKind.UNREACHABLE),
                Arguments.of(new SaslAuthenticationException("bad connection string"), FailureKind.UNREACHABLE),
                Arguments.of(new CorruptRecordException("CRC"), FailureKind.TRANSIENT),
                Arguments.of(new KafkaException("something unexpected"), FailureKind.TRANSIENT),
                Arguments.of(new IllegalStateException("unknown"), FailureKind.TRANSIENT),
                Arguments.of(new RecordTooLargeException("too large"), FailureKind.PERMANENT),
                Arguments.of(new TopicAuthorizationException("not allowed"), FailureKind.PERMANENT),
                Arguments.of(new SerializationException("null value for (non-nullable) string at Envelope.tenant"), FailureKind.PERMANENT),
                Arguments.of(new SerializationException("could not register",
                        new SchemaRegistryException("Schema registry at http://r is unreachable", SchemaRegistryException.NO_RESPONSE)),
                        FailureKind.UNREACHABLE),
                Arguments.of(new SerializationException("could not register",
                        new SchemaRegistryException("registry answered 503", 503)), FailureKind.UNREACHABLE),
                Arguments.of(new SerializationException("could not register",
                        new IncompatibleSchemaException("pulse.events.v1-value", "field removed")), FailureKind.PERMANENT));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("failures")
    void classifiesEachFailure(Throwable failure, FailureKind expected) {
        assertThat(DeliveryFailures.classify(failure)).isEqualTo(expected);
    }

    @Test
    void looksThroughFutureWrappers() {
        Throwable wrapped = new CompletionException(new ExecutionException(new RecordTooLargeException("too large")));

        assertThat(DeliveryFailures.classify(wrapped)).isEqualTo(FailureKind.PERMANENT);
    }
}
