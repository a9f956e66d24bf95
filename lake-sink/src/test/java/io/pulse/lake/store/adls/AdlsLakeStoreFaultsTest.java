package io.pulse.lake.store.adls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pulse.common.config.PulseConfig;
import io.pulse.lake.store.CommitOutcome;
import io.pulse.lake.store.LakeDirectory;
import io.pulse.lake.store.LakeFile;
import io.pulse.lake.store.LakeStore;
import io.pulse.lake.store.LakeStoreException;
import io.pulse.lake.store.LakeStores;
import io.pulse.lake.store.TemporaryFile;
import io.pulse.lake.store.adls.AdlsGen2TestServer.Operation;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The ADLS store when the service misbehaves: transient failures are retried to success, an operation
 * applied by the service whose answer timed out is not applied twice, a conflicting rename keeps the
 * competitor's file, and permanent failures fail fast with the path and the status.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class AdlsLakeStoreFaultsTest {
    private static final LakeDirectory HOUR_13 = new LakeDirectory("events", List.of("tenant=contoso", "date=2024-05-01", "hour=13"));
    private static final String NAME = "pulse.events.v1+2+10+19.parquet";
    private static final String OWNER = "pulse.events.v1+2";
    /** Longer than the client's request timeout: the client gives up and retries, the service has applied the operation. */
    private static final Duration HELD_BACK = AdlsTestConfigs.REQUEST_TIMEOUT.multipliedBy(2);

    private AdlsGen2TestServer server;
    private String fileSystem;
    private LakeStore store;

    @BeforeEach
    void start() {
        server = AdlsGen2TestServer.start();
        fileSystem = AdlsTestConfigs.newFileSystem(server);
        AdlsLakeStore adls = AdlsLakeStore.create(AdlsTestConfigs.accountKey(server, fileSystem));
        adls.verifyReachable();
        store = adls;
    }

    @AfterEach
    void stop() {
        assertThat(server.unhandledRequests()).as("requests the test server does not implement").isEmpty();
        server.close();
    }

    @Test
    void retriesBurstsOfServerErrorsToSuccess() throws IOException {
        server.faults()
                .failNext(2, Operation.CREATE_FILE, 500)
                .failNext(3, Operation.APPEND, 503)
                .failNext(2, Operation.FLUSH, 502)
                .failNext(3, Operation.RENAME, 504);

        TemporaryFile temp = write("first");
        assertThat(store.commitIfAbsent(temp, NAME)).isEqualTo(CommitOutcome.COMMITTED);

        assertThat(committedContent()).isEqualTo(Map.of(NAME, "first"));
        assertThat(server.requests(Operation.CREATE_FILE)).isEqualTo(3);
        assertThat(server.requests(Operation.APPEND)).isEqualTo(4);
        assertThat(server.requests(Operation.FLUSH)).isEqualTo(3);
        assertThat(server.requests(Operation.RENAME)).isEqualTo(4);
    }

    @Test
    void retriesThrottlingAndRequestTimeouts() throws IOException {
        store.commitIfAbsent(write("first"), NAME);
        server.faults().failNext(2, Operation.LIST, 429).failNext(2, Operation.DELETE, 408).failNext(1, Operation.LIST, 503);
        write("left behind");

        assertThat(store.deleteTemporaries("events", List.of(OWNER))).isEqualTo(1);
        assertThat(store.listCommitted("events")).containsExactly(new LakeFile(HOUR_13, NAME));
        assertThat(server.requests(Operation.DELETE)).isEqualTo(3);
    }

    @Test
    void followsListingPagesAndRetriesEachPageOnItsOwn() throws IOException {
        server.listPageSize(2);
        for (int i = 0; i < 5; i++) {
            store.commitIfAbsent(write("file " + i), "pulse.events.v1+2+" + (10 * i) + "+" + (10 * i + 9) + ".parquet");
        }
        server.faults().failBursts(Operation.LIST, 2, 1, 503); // every page fails once, then succeeds

        assertThat(store.listCommitted("events")).hasSize(5);
        // 3 directories and 5 files, 2 per page: 4 pages, each asked twice; plus the start-up check.
        assertThat(server.requests(Operation.LIST)).isEqualTo(1 + 4 * 2);
    }

    /** The worst case of a timeout: the service applied the operation, only its answer was lost. */
    @ParameterizedTest
    @EnumSource(value = Operation.class, names = {"CREATE_FILE", "APPEND", "FLUSH", "RENAME"})
    void aTimedOutOperationThatWasAppliedIsNotAppliedTwice(Operation slow) throws IOException {
        byte[] content = randomBytes(AdlsLakeStore.APPEND_CHUNK_BYTES + 1000); // two appends
        server.faults().delayNext(1, slow, HELD_BACK);

        TemporaryFile temp = write(content);
        assertThat(store.commitIfAbsent(temp, NAME)).isEqualTo(CommitOutcome.COMMITTED);

        assertThat(server.requests(slow)).as("the timed-out %s was sent again", slow).isGreaterThanOrEqualTo(2);
        assertThat(server.files(fileSystem)).as("exactly one file, the committed one").hasSize(1);
        assertThat(server.files(fileSystem).get(AdlsTestConfigs.DIRECTORY + "/" + HOUR_13.relativePath() + "/" + NAME)).isEqualTo(content);
        assertThat(store.listCommitted("events")).containsExactly(new LakeFile(HOUR_13, NAME));
    }

    @ParameterizedTest(name = "service checks the destination first: {0}")
    @ValueSource(booleans = {false, true})
    void aRenameThatTimedOutAfterBeingAppliedIsCommitted(boolean destinationCheckedFirst) throws IOException {
        server.renameChecksDestinationFirst(destinationCheckedFirst);
        server.faults().delayNext(1, Operation.RENAME, HELD_BACK);

        assertThat(store.commitIfAbsent(write("ours"), NAME)).isEqualTo(CommitOutcome.COMMITTED);

        assertThat(server.requests(Operation.RENAME)).isEqualTo(2);
        assertThat(committedContent()).isEqualTo(Map.of(NAME, "ours"));
        assertThat(server.files(fileSystem)).hasSize(1);
    }

    @Test
    void aTimedOutDeleteIsNotAnError() throws IOException {
        TemporaryFile temp = write("abandoned");
        server.faults().delayNext(1, Operation.DELETE, HELD_BACK);

        store.discard(temp);

        assertThat(server.requests(Operation.DELETE)).isEqualTo(2);
        assertThat(server.files(fileSystem)).isEmpty();
    }

    @Test
    void aConflictingRenameKeepsTheCompetitorsFileAndDeletesOurTemporary() throws IOException {
        server.faults().competeOnNextRename("theirs".getBytes(StandardCharsets.UTF_8));

        assertThat(store.commitIfAbsent(write("ours"), NAME)).isEqualTo(CommitOutcome.ALREADY_COMMITTED);

        assertThat(committedContent()).isEqualTo(Map.of(NAME, "theirs"));
        assertThat(server.files(fileSystem)).as("our temporary is deleted").hasSize(1);
    }

    @Test
    void aRetriedRenameThatFindsACompetitorsFileIsAlreadyCommitted() throws IOException {
        // The first attempt fails (not applied); before the second, a competitor takes the name.
        server.faults().failNext(1, Operation.RENAME, 503);
        server.faults().competeOnNextRename("theirs".getBytes(StandardCharsets.UTF_8));
        server.renameChecksDestinationFirst(true);

        assertThat(store.commitIfAbsent(write("ours"), NAME)).isEqualTo(CommitOutcome.ALREADY_COMMITTED);

        assertThat(committedContent()).isEqualTo(Map.of(NAME, "theirs"));
        assertThat(server.files(fileSystem)).hasSize(1);
    }

    @Test
    void aPermanentRefusalFailsAtOnceNamingPathAndStatus() {
        server.faults().failAlways(Operation.APPEND, 403, "AuthorizationPermissionMismatch");
        TemporaryFile temp = store.createTemporary(HOUR_13, OWNER);

        assertThatThrownBy(() -> {
            try (OutputStream out = store.openForWrite(temp)) {
                out.write("refused".getBytes(StandardCharsets.UTF_8));
            }
        }).isInstanceOf(LakeStoreException.class)
                .hasMessageContaining("append to")
                .hasMessageContaining(fileSystem + "/" + AdlsTestConfigs.DIRECTORY + "/" + temp.relativePath())
                .hasMessageContaining("HTTP 403 AuthorizationPermissionMismatch")
                .hasMessageNotContaining("attempts");
        assertThat(server.requests(Operation.APPEND)).as("no retry of a 403").isEqualTo(1);
    }

    @Test
    void aFileWhoseWriteFailedIsNeverFlushed() throws IOException {
        server.faults().failAlways(Operation.APPEND, 403, "AuthorizationPermissionMismatch");
        TemporaryFile temp = store.createTemporary(HOUR_13, OWNER);
        OutputStream out = store.openForWrite(temp);

        assertThatThrownBy(() -> out.write(randomBytes(AdlsLakeStore.APPEND_CHUNK_BYTES + 10))).isInstanceOf(LakeStoreException.class);
        assertThatThrownBy(out::close).isInstanceOf(LakeStoreException.class).hasMessageContaining("was not flushed");

        assertThat(server.requests(Operation.FLUSH)).isZero();
        store.discard(temp);
        assertThat(server.files(fileSystem)).isEmpty();
    }

    @Test
    void exhaustedRetriesNameThePathTheStatusAndTheAttempts() throws IOException {
        TemporaryFile temp = write("busy");
        server.faults().failAlways(Operation.RENAME, 503, "ServerBusy");

        assertThatThrownBy(() -> store.commitIfAbsent(temp, NAME))
                .isInstanceOf(LakeStoreException.class)
                .hasMessageContaining("rename of")
                .hasMessageContaining(temp.name())
                .hasMessageContaining("after " + (AdlsTestConfigs.MAX_RETRIES + 1) + " attempts")
                .hasMessageContaining("HTTP 503 ServerBusy");
        assertThat(server.requests(Operation.RENAME)).isEqualTo(AdlsTestConfigs.MAX_RETRIES + 1);
    }

    @Test
    void exhaustedRetriesOfTimeoutsSaySo() throws IOException {
        TemporaryFile temp = write("slow");
        PulseConfig.Adls impatient = withRetries(AdlsTestConfigs.accountKey(server, fileSystem), 1);
        server.faults().delayNext(2, Operation.RENAME, HELD_BACK);
        LakeStore oneRetry = AdlsLakeStore.create(impatient);

        // Both attempts time out, and the first one renamed the file: the store cannot know, and says what it saw.
        assertThatThrownBy(() -> oneRetry.commitIfAbsent(temp, NAME))
                .isInstanceOf(LakeStoreException.class)
                .hasMessageContaining("after 2 attempts")
                .hasMessageContaining("timed out after " + AdlsTestConfigs.REQUEST_TIMEOUT.toMillis() + "ms");
    }

    @Test
    void openingAMissingFileSystemFailsWithAClearMessage() {
        assertThatThrownBy(() -> LakeStores.open(AdlsTestConfigs.lakeConfig(server.endpoint(), "no-such-fs", server.accountKey())))
                .isInstanceOf(LakeStoreException.class)
                .hasMessageContaining("file system 'no-such-fs' does not exist in storage account '" + AdlsGen2TestServer.ACCOUNT + "'")
                .hasMessageContaining("HTTP 404 FilesystemNotFound")
                .hasMessageContaining("pulse.lake.adls.file-system");
    }

    @Test
    void openingWithAWrongKeyFailsNamingTheCredentials() {
        byte[] wrongKey = new byte[64];
        new Random(7).nextBytes(wrongKey);
        PulseConfig.Lake wrong = AdlsTestConfigs.lakeConfig(server.endpoint(), fileSystem, Base64.getEncoder().encodeToString(wrongKey));

        assertThatThrownBy(() -> LakeStores.open(wrong))
                .isInstanceOf(LakeStoreException.class)
                .hasMessageContaining("refused the lake sink's account-key credentials")
                .hasMessageContaining("HTTP 403 AuthenticationFailed")
                .hasMessageContaining("pulse.lake.adls.auth");
    }

    @Test
    void anUnreachableEndpointIsRetriedThenReported() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        PulseConfig.Lake nowhere = AdlsTestConfigs.lakeConfig("http://127.0.0.1:" + closedPort + "/" + AdlsGen2TestServer.ACCOUNT, fileSystem,
                server.accountKey());

        assertThatThrownBy(() -> LakeStores.open(nowhere))
                .isInstanceOf(LakeStoreException.class)
                .hasMessageContaining("127.0.0.1:" + closedPort)
                .hasMessageContaining("after " + (AdlsTestConfigs.MAX_RETRIES + 1) + " attempts")
                .hasMessageContaining("connection failed");
    }

    @Test
    void signsInWithAConnectionString() throws IOException {
        AdlsLakeStore viaConnectionString = AdlsLakeStore.create(AdlsTestConfigs.connectionString(server, fileSystem));
        viaConnectionString.verifyReachable();
        TemporaryFile temp = viaConnectionString.createTemporary(HOUR_13, OWNER);
        try (OutputStream out = viaConnectionString.openForWrite(temp)) {
            out.write("via connection string".getBytes(StandardCharsets.UTF_8));
        }

        assertThat(viaConnectionString.commitIfAbsent(temp, NAME)).isEqualTo(CommitOutcome.COMMITTED);
        assertThat(committedContent()).isEqualTo(Map.of(NAME, "via connection string"));
    }

    private TemporaryFile write(String content) throws IOException {
        return write(content.getBytes(StandardCharsets.UTF_8));
    }

    private TemporaryFile write(byte[] content) throws IOException {
        TemporaryFile temp = store.createTemporary(HOUR_13, OWNER);
        try (OutputStream out = store.openForWrite(temp)) {
            out.write(content);
        }
        return temp;
    }

    /** The committed files of HOUR_13 (name to content), read from the server. */
    private Map<String, String> committedContent() {
        String prefix = AdlsTestConfigs.DIRECTORY + "/" + HOUR_13.relativePath() + "/";
        Map<String, String> committed = new TreeMap<>();
        server.files(fileSystem).forEach((path, bytes) -> {
            if (path.startsWith(prefix) && !path.substring(prefix.length()).startsWith(".")) {
                committed.put(path.substring(prefix.length()), new String(bytes, StandardCharsets.UTF_8));
            }
        });
        return committed;
    }

    private static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        new Random(n).nextBytes(b);
        return b;
    }

    private static PulseConfig.Adls withRetries(PulseConfig.Adls adls, int retries) {
        return new PulseConfig.Adls(adls.endpoint(), adls.fileSystem(), adls.directory(), adls.auth(), adls.secret(),
                adls.requestTimeout(), retries, adls.retryBackoff());
    }
}
