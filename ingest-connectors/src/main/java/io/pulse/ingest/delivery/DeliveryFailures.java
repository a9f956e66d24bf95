package io.pulse.ingest.delivery;

import io.pulse.common.registry.SchemaRegistryException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.BrokerNotAvailableException;
import org.apache.kafka.common.errors.DisconnectException;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.LeaderNotAvailableException;
import org.apache.kafka.common.errors.NetworkException;
import org.apache.kafka.common.errors.NotEnoughReplicasAfterAppendException;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.apache.kafka.common.errors.NotLeaderOrFollowerException;
import org.apache.kafka.common.errors.PolicyViolationException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.errors.UnsupportedVersionException;

/**
 * Sorts a failed send into {@link FailureKind}s, the way Debezium's ErrorHandler separates retriable from
 * permanent errors: a bounded, explicit list; anything unknown is {@link FailureKind#TRANSIENT}, so it is
 * retried a bounded number of times and then dead-lettered, never retried forever.
 */
public final class DeliveryFailures {
    private DeliveryFailures() {
    }

    public static FailureKind classify(Throwable failure) {
        Throwable e = unwrap(failure);
        if (e instanceof SerializationException) {
            // Validation against the schema happens in the Avro serializer: permanent, unless the registry was unreachable.
            SchemaRegistryException registry = find(e, SchemaRegistryException.class);
            return registry != null && registryUnavailable(registry) ? FailureKind.UNREACHABLE : FailureKind.PERMANENT;
        }
        if (e instanceof SchemaRegistryException registry) {
            return registryUnavailable(registry) ? FailureKind.UNREACHABLE : FailureKind.PERMANENT;
        }
        if (e instanceof RecordTooLargeException || e instanceof RecordBatchTooLargeException
                || e instanceof AuthorizationException || e instanceof InvalidTopicException
                || e instanceof InvalidRecordException || e instanceof PolicyViolationException
                || e instanceof UnsupportedVersionException) {
            return FailureKind.PERMANENT;
        }
        if (e instanceof TimeoutException || e instanceof java.util.concurrent.TimeoutException
                || e instanceof NetworkException || e instanceof DisconnectException
                || e instanceof BrokerNotAvailableException || e instanceof LeaderNotAvailableException
                || e instanceof NotLeaderOrFollowerException || e instanceof NotEnoughReplicasException
                || e instanceof NotEnoughReplicasAfterAppendException || e instanceof UnknownTopicOrPartitionException
                || e instanceof AuthenticationException
                || e instanceof InterruptException || e instanceof InterruptedException
                || e instanceof ClosedException) {
            return FailureKind.UNREACHABLE;
        }
        return FailureKind.TRANSIENT;
    }

    /** The failure itself, out of the future wrappers. */
    public static Throwable unwrap(Throwable failure) {
        Throwable e = failure;
        while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }

    private static boolean registryUnavailable(SchemaRegistryException e) {
        int code = e.errorCode();
        return code == SchemaRegistryException.NO_RESPONSE || code == 408 || code == 429 || (code >= 500 && code < 600);
    }

    private static <T extends Throwable> T find(Throwable e, Class<T> type) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    /** The delivery path was closed while the send was under way: the event waits in the outbox for the next start. */
    static final class ClosedException extends RuntimeException {
        ClosedException(String message) {
            super(message);
        }
    }
}
