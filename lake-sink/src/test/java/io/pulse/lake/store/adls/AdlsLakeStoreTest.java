package io.pulse.lake.store.adls;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulse.lake.store.LakeDirectory;
import io.pulse.lake.store.LakeFile;
import io.pulse.lake.store.LakeStore;
import io.pulse.lake.store.LakeStoreContractTest;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The store contract on ADLS Gen2, against the test server: the SDK's real requests, signed with the
 * account key, with listings paged three paths at a time so that continuations are followed.
 */
class AdlsLakeStoreTest extends LakeStoreContractTest {
    private static AdlsGen2TestServer server;

    @TempDir
    Path copies;

    private String fileSystem;

    @BeforeAll
    static void startServer() {
        server = AdlsGen2TestServer.start();
        server.listPageSize(3);
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @AfterEach
    void everyRequestWasUnderstood() {
        assertThat(server.unhandledRequests()).as("requests the test server does not implement").isEmpty();
    }

    @Test
    void aDatasetWithOnlyEmptyDirectoriesHasNoFiles() {
        server.putDirectory(fileSystem, AdlsTestConfigs.DIRECTORY + "/metrics");
        server.putDirectory(fileSystem, AdlsTestConfigs.DIRECTORY + "/alerts/tenant=contoso");

        assertThat(store.listCommitted("metrics")).isEmpty();
        assertThat(store.listCommitted("alerts")).isEmpty();
        assertThat(store.deleteTemporaries("metrics", List.of("pulse.metrics.v1+0"))).isZero();
    }

    @Override
    protected LakeStore newStore() {
        fileSystem = AdlsTestConfigs.newFileSystem(server);
        AdlsLakeStore adls = AdlsLakeStore.create(AdlsTestConfigs.accountKey(server, fileSystem));
        adls.verifyReachable();
        return adls;
    }

    @Override
    protected byte[] contentOf(LakeFile file) {
        byte[] content = server.files(fileSystem).get(AdlsTestConfigs.DIRECTORY + "/" + file.relativePath());
        assertThat(content).as("file %s on the server", file).isNotNull();
        return content;
    }

    @Override
    protected List<String> filesIn(LakeDirectory directory) {
        String prefix = AdlsTestConfigs.DIRECTORY + "/" + directory.relativePath() + "/";
        return server.files(fileSystem).keySet().stream()
                .filter(p -> p.startsWith(prefix) && p.indexOf('/', prefix.length()) < 0)
                .map(p -> p.substring(prefix.length())).sorted().toList();
    }

    @Override
    protected void putFile(String relativePath, byte[] content) {
        server.putFile(fileSystem, AdlsTestConfigs.DIRECTORY + "/" + relativePath, content);
    }

    @Override
    protected Path localCopy() {
        return server.copyTo(fileSystem, AdlsTestConfigs.DIRECTORY, copies.resolve(fileSystem));
    }
}
