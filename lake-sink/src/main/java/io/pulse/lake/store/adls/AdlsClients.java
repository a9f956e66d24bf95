package io.pulse.lake.store.adls;

import com.azure.core.http.HttpClient;
import com.azure.core.util.HttpClientOptions;
import com.azure.identity.DefaultAzureCredentialBuilder;
import com.azure.storage.common.StorageSharedKeyCredential;
import com.azure.storage.common.policy.RequestRetryOptions;
import com.azure.storage.common.policy.RetryPolicyType;
import com.azure.storage.file.datalake.DataLakeFileSystemClient;
import com.azure.storage.file.datalake.DataLakeServiceClientBuilder;
import io.pulse.common.config.PulseConfig;
import java.net.URI;
import java.time.Duration;

/** Builds the SDK client of the lake's file system from {@link PulseConfig.Adls}. */
final class AdlsClients {
    private AdlsClients() {
    }

    /**
     * The file system client: signed in per {@code adls.auth()}, each request bounded by
     * {@code adls.requestTimeout()} (connect, write, response and read), and the SDK's own retries off
     * (one try) so that {@link AdlsRetry} is the only retry policy.
     */
    static DataLakeFileSystemClient fileSystem(PulseConfig.Adls adls) {
        Duration timeout = adls.requestTimeout();
        HttpClient http = HttpClient.createDefault(new HttpClientOptions()
                .setConnectTimeout(timeout)
                .setWriteTimeout(timeout)
                .setResponseTimeout(timeout)
                .setReadTimeout(timeout));
        DataLakeServiceClientBuilder builder = new DataLakeServiceClientBuilder()
                .httpClient(http)
                .retryOptions(new RequestRetryOptions(RetryPolicyType.FIXED, 1, timeout, null, null, null));
        switch (adls.auth()) {
            case DEFAULT_CREDENTIAL -> builder.credential(new DefaultAzureCredentialBuilder().build());
            case ACCOUNT_KEY -> builder.credential(new StorageSharedKeyCredential(accountName(adls.endpoint()), secret(adls)));
            // Endpoint after the connection string: an explicit pulse.lake.adls.endpoint wins over the derived one.
            case CONNECTION_STRING -> builder.connectionString(secret(adls));
        }
        builder.endpoint(adls.endpoint());
        return builder.buildClient().getFileSystemClient(adls.fileSystem());
    }

    /**
     * The storage account named by a dfs endpoint: the first label of {@code https://<account>.dfs.core.windows.net},
     * or the first path segment of a path-style URL such as a test server's {@code http://127.0.0.1:10000/<account>}.
     */
    static String accountName(String endpoint) {
        URI uri = URI.create(endpoint);
        String path = uri.getPath() == null ? "" : uri.getPath().replaceAll("^/+", "");
        String account = !path.isEmpty() ? path.split("/")[0] : uri.getHost() == null ? "" : uri.getHost().split("\\.")[0];
        if (account.isEmpty()) {
            throw new IllegalArgumentException("cannot tell the storage account from the ADLS Gen2 endpoint '" + endpoint
                    + "': expected https://<account>.dfs.core.windows.net or http://<host>:<port>/<account>");
        }
        return account;
    }

    private static String secret(PulseConfig.Adls adls) {
        return adls.secret().orElseThrow(() -> new IllegalArgumentException(
                "ADLS Gen2 auth " + adls.auth().id() + " needs a secret, and the configuration holds none"));
    }
}
