package io.pulse.ingest.blob;

import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.common.StorageSharedKeyCredential;
import com.azure.storage.common.policy.RequestRetryOptions;
import com.azure.storage.common.policy.RetryPolicyType;
import java.time.Duration;

/** Builds the container client of a blob drop source from its configuration. */
final class BlobClients {
    /** Longest one storage request may take (a listing page, a 4 MiB block of a blob). */
    static final Duration TRY_TIMEOUT = Duration.ofSeconds(60);

    private BlobClients() {
    }

    /**
     * The SDK's own retries are off (one try per call): {@link StorageRetry} decides what is retried, so that
     * failures are classified and logged in one place and attempts do not multiply.
     */
    static BlobContainerClient container(BlobDropConfig config) {
        BlobServiceClientBuilder builder = new BlobServiceClientBuilder()
                .retryOptions(new RequestRetryOptions(RetryPolicyType.FIXED, 1, TRY_TIMEOUT, null, null, null));
        if (config.connection() instanceof BlobDropConfig.ConnectionString cs) {
            builder.connectionString(cs.value());
        } else if (config.connection() instanceof BlobDropConfig.AccountKey key) {
            builder.endpoint(key.endpoint()).credential(new StorageSharedKeyCredential(key.accountName(), key.key()));
        }
        return builder.buildClient().getBlobContainerClient(config.container());
    }
}
