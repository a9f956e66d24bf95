package io.pulse.lake.store.adls;

import io.pulse.common.config.ConfigKeys;
import io.pulse.common.config.PulseConfig;
import io.pulse.common.config.PulseConfig.AdlsAuth;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/** ADLS settings pointing at an {@link AdlsGen2TestServer}, with backoffs small enough for fast tests. */
public final class AdlsTestConfigs {
    public static final String DIRECTORY = "pulse/lake";
    public static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(1);
    public static final Duration BACKOFF = Duration.ofMillis(10);
    public static final int MAX_RETRIES = 5;
    private static final AtomicInteger FILE_SYSTEMS = new AtomicInteger();

    private AdlsTestConfigs() {
    }

    /** A new, empty file system on the server. */
    public static String newFileSystem(AdlsGen2TestServer server) {
        String name = "lake-" + FILE_SYSTEMS.incrementAndGet();
        server.createFileSystem(name);
        return name;
    }

    /** Signed in with the account key. */
    public static PulseConfig.Adls accountKey(AdlsGen2TestServer server, String fileSystem) {
        return new PulseConfig.Adls(server.endpoint(), fileSystem, DIRECTORY, AdlsAuth.ACCOUNT_KEY, Optional.of(server.accountKey()),
                REQUEST_TIMEOUT, MAX_RETRIES, BACKOFF);
    }

    /**
     * The lake settings as an operator writes them (pulse.lake.* keys, the account key in the environment),
     * resolved by {@link PulseConfig#load}: for {@code LakeStores.open}.
     */
    public static PulseConfig.Lake lakeConfig(String endpoint, String fileSystem, String accountKey) {
        return lakeConfig(endpoint, fileSystem, accountKey, MAX_RETRIES);
    }

    /** As above, with {@code maxRetries} retries. */
    public static PulseConfig.Lake lakeConfig(String endpoint, String fileSystem, String accountKey, int maxRetries) {
        Map<String, String> keys = Map.of(
                ConfigKeys.LAKE_STORE, "adls",
                ConfigKeys.LAKE_ADLS_ENDPOINT, endpoint,
                ConfigKeys.LAKE_ADLS_FILE_SYSTEM, fileSystem,
                ConfigKeys.LAKE_ADLS_DIRECTORY, DIRECTORY,
                ConfigKeys.LAKE_ADLS_AUTH, AdlsAuth.ACCOUNT_KEY.id(),
                ConfigKeys.LAKE_ADLS_REQUEST_TIMEOUT, REQUEST_TIMEOUT.toMillis() + "ms",
                ConfigKeys.LAKE_ADLS_MAX_RETRIES, Integer.toString(maxRetries),
                ConfigKeys.LAKE_ADLS_RETRY_BACKOFF, BACKOFF.toMillis() + "ms");
        return PulseConfig.load(Map.of(), Map.of(ConfigKeys.LAKE_ADLS_ACCOUNT_KEY_ENV, accountKey), keys).lake();
    }

    /** Signed in with the server's connection string. */
    public static PulseConfig.Adls connectionString(AdlsGen2TestServer server, String fileSystem) {
        return new PulseConfig.Adls(server.endpoint(), fileSystem, DIRECTORY, AdlsAuth.CONNECTION_STRING, Optional.of(server.connectionString()),
                REQUEST_TIMEOUT, MAX_RETRIES, BACKOFF);
    }
}
