package io.pulse.ingest.blob;

import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retries a storage call that failed transiently ({@link StorageFailures.Kind#TRANSIENT}) with exponential
 * backoff, a bounded number of times; every other failure passes through at once, and so does a failure of the
 * delivery path (it has its own outbox and retries). The Azure SDK's own
 * retries are off ({@link BlobClients}) so that this one policy decides.
 */
final class StorageRetry {
    private static final Logger log = LoggerFactory.getLogger(StorageRetry.class);

    private final Retry retry;

    StorageRetry(String name, BlobDropConfig.Retry config) {
        RetryConfig retryConfig = RetryConfig.custom()
                .maxAttempts(config.maxAttempts())
                .intervalFunction(IntervalFunction.ofExponentialBackoff(config.initialBackoff(), 2.0, config.maxBackoff()))
                .retryOnException(failure -> !(failure instanceof BlobIngestor.DeliveryFailedException) && StorageFailures.isTransient(failure))
                .build();
        this.retry = Retry.of(name, retryConfig);
        retry.getEventPublisher().onRetry(event -> log.debug("{}: attempt {} failed ({}), retrying in {} ms", name,
                event.getNumberOfRetryAttempts(), StorageFailures.describe(event.getLastThrowable()), event.getWaitInterval().toMillis()));
    }

    <T> T call(Supplier<T> operation) {
        return Retry.decorateSupplier(retry, operation).get();
    }

    void run(Runnable operation) {
        call(() -> {
            operation.run();
            return null;
        });
    }
}
