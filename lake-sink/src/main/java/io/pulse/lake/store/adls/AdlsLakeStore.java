package io.pulse.lake.store.adls;

import com.azure.core.exception.ClientAuthenticationException;
import com.azure.core.exception.HttpResponseException;
import com.azure.core.http.rest.PagedIterable;
import com.azure.core.http.rest.PagedResponse;
import com.azure.core.util.Context;
import com.azure.storage.file.datalake.DataLakeFileClient;
import com.azure.storage.file.datalake.DataLakeFileSystemClient;
import com.azure.storage.file.datalake.models.DataLakeRequestConditions;
import com.azure.storage.file.datalake.models.DataLakeStorageException;
import com.azure.storage.file.datalake.models.ListPathsOptions;
import com.azure.storage.file.datalake.models.PathItem;
import com.azure.storage.file.datalake.options.DataLakePathCreateOptions;
import com.azure.storage.file.datalake.options.PathGetSystemPropertiesOptions;
import io.pulse.common.config.ConfigKeys;
import io.pulse.common.config.PulseConfig;
import io.pulse.lake.store.CommitOutcome;
import io.pulse.lake.store.LakeDirectory;
import io.pulse.lake.store.LakeFile;
import io.pulse.lake.store.LakeNames;
import io.pulse.lake.store.LakeStore;
import io.pulse.lake.store.LakeStoreException;
import io.pulse.lake.store.TemporaryFile;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lake on Azure Data Lake Storage Gen2 (an account with a hierarchical namespace), through
 * azure-storage-file-datalake, with {@link io.pulse.lake.store.LocalLakeStore}'s contract: temporaries
 * named {@code .<ownerTag>.<uuid>.tmp}, committed by an atomic rename-if-absent.
 *
 * <p>ADLS Gen2 REST operations used, all on the {@code dfs} endpoint:
 * <ul>
 *   <li>Path Create ({@code PUT ?resource=file}, {@code If-None-Match: *}): {@link #openForWrite}. Parent
 *       directories are implicit.</li>
 *   <li>Path Update append ({@code PATCH ?action=append&position=}, with Content-MD5) in chunks of
 *       {@value #APPEND_CHUNK_BYTES} bytes, and flush ({@code PATCH ?action=flush&position=&close=true}) when
 *       the stream is closed.</li>
 *   <li>Path Create as a rename ({@code PUT} on the final name, {@code x-ms-rename-source}, destination
 *       {@code If-None-Match: *}): {@link #commitIfAbsent}. 409/412 means the name is taken: the temporary
 *       is deleted and the outcome is {@link CommitOutcome#ALREADY_COMMITTED}.</li>
 *   <li>Path Get Properties ({@code HEAD ?action=getStatus}): only after a retried rename, to tell whether
 *       the attempt that timed out was applied.</li>
 *   <li>Path Delete ({@code DELETE}; 404 is fine): {@link #discard}, {@link #deleteTemporaries}, the loser of a commit.</li>
 *   <li>Path List ({@code GET /<fs>?resource=filesystem&recursive=true&directory=}, following
 *       {@code x-ms-continuation}): {@link #listCommitted}, {@link #deleteTemporaries}, {@link #verifyReachable}.</li>
 * </ul>
 *
 * <p>Retries: {@link AdlsRetry} (408, 429, 500, 502, 503, 504, timeouts and connection failures, exponential
 * backoff from {@code pulse.lake.adls.retry-backoff}); the SDK's retry policy is set to a single try. An
 * operation retried after a timeout may have been applied the first time, so every step tolerates its own
 * earlier success: a second create of the same (unique) temporary finding it there, an append re-sent at
 * the same position, a flush at the file's length, a rename whose source is gone and whose destination is
 * there, a delete answered 404.
 */
public final class AdlsLakeStore implements LakeStore {
    static final int APPEND_CHUNK_BYTES = 4 << 20;
    private static final Logger log = LoggerFactory.getLogger(AdlsLakeStore.class);
    private static final String FILE_SYSTEM_NOT_FOUND = "FilesystemNotFound";

    private final DataLakeFileSystemClient fileSystem;
    private final PulseConfig.Adls config;
    /** The directory of the file system under which the datasets live: "" or "a/b". */
    private final String root;
    private final AdlsRetry retry;

    AdlsLakeStore(DataLakeFileSystemClient fileSystem, PulseConfig.Adls config) {
        this.fileSystem = Objects.requireNonNull(fileSystem, "fileSystem");
        this.config = Objects.requireNonNull(config, "config");
        this.root = config.directory().replaceAll("^/+|/+$", "");
        this.retry = new AdlsRetry(config.maxRetries(), config.retryBackoff(), config.requestTimeout());
    }

    /** A store on the configured file system; nothing is sent until the first operation (see {@link #verifyReachable}). */
    public static AdlsLakeStore create(PulseConfig.Adls adls) {
        return new AdlsLakeStore(AdlsClients.fileSystem(adls), adls);
    }

    /**
     * Checks at start-up that the file system exists and that the credentials may list it, with a message
     * that names the account, the file system and the status if not. The lake directory itself need not
     * exist yet.
     */
    public void verifyReachable() {
        String account = fileSystem.getAccountName();
        try {
            retry.call("check of", location(root), attempt -> page(root, false, null, 1));
        } catch (LakeStoreException e) {
            Optional<HttpResponseException> http = AdlsRetry.httpFailure(e);
            int status = http.map(AdlsRetry::statusOf).orElse(-1);
            String code = http.map(AdlsRetry::errorCodeOf).orElse(null);
            if (status == 404 && FILE_SYSTEM_NOT_FOUND.equals(code)) {
                throw new LakeStoreException("ADLS Gen2 file system '" + config.fileSystem() + "' does not exist in storage account '" + account
                        + "' (" + config.endpoint() + "): HTTP 404 " + code + ". Create it, or set " + ConfigKeys.LAKE_ADLS_FILE_SYSTEM
                        + " to one that exists", e);
            }
            if (status == 401 || status == 403 || http.isEmpty() && isAuthenticationFailure(e)) {
                throw new LakeStoreException("ADLS Gen2 storage account '" + account + "' (" + config.endpoint() + ") refused the lake sink's "
                        + config.auth().id() + " credentials for file system '" + config.fileSystem() + "': "
                        + (status > 0 ? "HTTP " + status + " " + code : e.getMessage()) + ". Check " + ConfigKeys.LAKE_ADLS_AUTH
                        + " and the identity's role on the account (Storage Blob Data Contributor)", e);
            }
            throw new LakeStoreException("Cannot use ADLS Gen2 file system '" + config.fileSystem() + "' of storage account '" + account
                    + "' (" + config.endpoint() + "): " + e.getMessage(), e);
        }
    }

    @Override
    public TemporaryFile createTemporary(LakeDirectory directory, String ownerTag) {
        // Nothing to send: directories are implicit, and the file is created by openForWrite.
        return new TemporaryFile(directory, LakeNames.newTemporaryName(ownerTag));
    }

    @Override
    public OutputStream openForWrite(TemporaryFile file) {
        DataLakeFileClient client = fileSystem.getFileClient(pathOf(file.directory(), file.name()));
        String location = location(client.getFilePath());
        retry.call("create of", location, attempt -> {
            try {
                return client.createWithResponse(new DataLakePathCreateOptions()
                        .setRequestConditions(new DataLakeRequestConditions().setIfNoneMatch("*")), null, Context.NONE);
            } catch (DataLakeStorageException e) {
                if (attempt > 1 && isNameTaken(e)) {
                    return null; // the name is a fresh UUID: an earlier attempt that timed out created it
                }
                throw e;
            }
        });
        return new AdlsAppendStream(client, location, retry, APPEND_CHUNK_BYTES);
    }

    @Override
    public CommitOutcome commitIfAbsent(TemporaryFile file, String finalName) {
        LakeNames.checkFinalName(finalName);
        DataLakeFileClient source = fileSystem.getFileClient(pathOf(file.directory(), file.name()));
        String destination = pathOf(file.directory(), finalName);
        CommitOutcome outcome = retry.call("rename of", location(source.getFilePath()) + " to " + finalName,
                attempt -> rename(source, destination, attempt));
        if (outcome == CommitOutcome.ALREADY_COMMITTED) {
            delete(source.getFilePath(), "delete of the temporary");
        }
        return outcome;
    }

    private CommitOutcome rename(DataLakeFileClient source, String destination, int attempt) {
        try {
            source.renameWithResponse(null, destination, null, new DataLakeRequestConditions().setIfNoneMatch("*"), null, Context.NONE);
            return CommitOutcome.COMMITTED;
        } catch (DataLakeStorageException e) {
            if (isNameTaken(e)) {
                // Ours, if an earlier attempt timed out after renaming (the temporary is gone); someone else's otherwise.
                return attempt > 1 && !exists(source.getFilePath()) ? CommitOutcome.COMMITTED : CommitOutcome.ALREADY_COMMITTED;
            }
            if (e.getStatusCode() == 404 && !FILE_SYSTEM_NOT_FOUND.equals(e.getErrorCode())) {
                if (attempt > 1 && exists(destination)) {
                    return CommitOutcome.COMMITTED; // an earlier attempt timed out after renaming
                }
                throw new LakeStoreException("cannot commit " + location(source.getFilePath()) + " as " + destination.substring(destination.lastIndexOf('/') + 1)
                        + ": the temporary file is gone (was it deleted by a new owner of its Kafka partition?) (HTTP 404 " + e.getErrorCode() + ")", e);
            }
            throw e;
        }
    }

    @Override
    public void discard(TemporaryFile file) {
        delete(pathOf(file.directory(), file.name()), "delete of");
    }

    @Override
    public List<LakeFile> listCommitted(String dataset) {
        List<LakeFile> files = new ArrayList<>();
        walk(dataset, (directory, name) -> {
            if (!LakeNames.isHidden(name)) {
                files.add(new LakeFile(directory, name));
            }
        });
        return files;
    }

    @Override
    public int deleteTemporaries(String dataset, Collection<String> ownerTags) {
        List<String> doomed = new ArrayList<>();
        walk(dataset, (directory, name) -> {
            if (LakeNames.isTemporaryOf(name, ownerTags)) {
                doomed.add(pathOf(directory, name));
            }
        });
        for (String path : doomed) {
            delete(path, "delete of the temporary left by an earlier writer");
            log.info("Deleted temporary lake file {} left by an earlier writer", location(path));
        }
        return doomed.size();
    }

    /**
     * Visits every file of the dataset with its directory; directories that are hidden, or are not
     * {@code key=value} partitions, are skipped with everything below them (as the local store does).
     */
    private void walk(String dataset, BiConsumer<LakeDirectory, String> visitor) {
        String datasetPath = pathOf(new LakeDirectory(dataset, List.of()), null);
        for (PathItem item : listRecursively(datasetPath)) {
            if (!item.getName().startsWith(datasetPath + "/")) {
                continue; // not below the dataset (the service lists full paths)
            }
            List<String> segments = Arrays.asList(item.getName().substring(datasetPath.length() + 1).split("/"));
            if (item.isDirectory()) {
                warnIfNotAPartition(dataset, segments);
                continue;
            }
            directoryOf(dataset, segments.subList(0, segments.size() - 1))
                    .ifPresent(directory -> visitor.accept(directory, segments.get(segments.size() - 1)));
        }
    }

    private static Optional<LakeDirectory> directoryOf(String dataset, List<String> segments) {
        if (segments.stream().anyMatch(LakeNames::isHidden)) {
            return Optional.empty();
        }
        try {
            return Optional.of(new LakeDirectory(dataset, segments));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** Warns once per offending directory: the one whose parent is still a good partition directory. */
    private void warnIfNotAPartition(String dataset, List<String> segments) {
        List<String> parent = segments.subList(0, segments.size() - 1);
        if (directoryOf(dataset, parent).isEmpty() || LakeNames.isHidden(segments.get(segments.size() - 1))) {
            return;
        }
        try {
            new LakeDirectory(dataset, segments);
        } catch (IllegalArgumentException e) {
            log.warn("Ignoring lake directory {} that is not a partition directory: {}", location(pathOf(new LakeDirectory(dataset, parent),
                    segments.get(segments.size() - 1))), e.getMessage());
        }
    }

    /** Every path under {@code directory}, page by page (each page retried on its own); none if the directory does not exist. */
    private List<PathItem> listRecursively(String directory) {
        List<PathItem> items = new ArrayList<>();
        String continuation = null;
        do {
            String token = continuation;
            Page page = retry.call("list of", location(directory), attempt -> page(directory, true, token, null));
            if (page == null) {
                return List.of();
            }
            items.addAll(page.items());
            continuation = page.continuation();
        } while (continuation != null && !continuation.isEmpty());
        return items;
    }

    /** One Path List response: some paths, and where to go on from (null at the end). */
    private record Page(List<PathItem> items, String continuation) {
    }

    /** One Path List request; null if the directory does not exist (404 PathNotFound). */
    private Page page(String directory, boolean recursive, String continuation, Integer maxResults) {
        ListPathsOptions options = new ListPathsOptions().setRecursive(recursive).setMaxResults(maxResults);
        if (!directory.isEmpty()) {
            options.setPath(directory);
        }
        PagedIterable<PathItem> paths = fileSystem.listPaths(options, null);
        try {
            Iterator<PagedResponse<PathItem>> pages = (continuation == null ? paths.iterableByPage() : paths.iterableByPage(continuation)).iterator();
            if (!pages.hasNext()) {
                return new Page(List.of(), null);
            }
            PagedResponse<PathItem> page = pages.next();
            return new Page(page.getValue(), page.getContinuationToken());
        } catch (DataLakeStorageException e) {
            if (e.getStatusCode() == 404 && !FILE_SYSTEM_NOT_FOUND.equals(e.getErrorCode())) {
                return null;
            }
            throw e;
        }
    }

    /** Path Get Properties, without a retry of its own: it runs inside a retried rename attempt. */
    private boolean exists(String path) {
        try {
            fileSystem.getFileClient(path).getSystemPropertiesWithResponse(new PathGetSystemPropertiesOptions(), null, Context.NONE);
            return true;
        } catch (DataLakeStorageException e) {
            if (e.getStatusCode() == 404 && !FILE_SYSTEM_NOT_FOUND.equals(e.getErrorCode())) {
                return false;
            }
            throw e;
        }
    }

    private void delete(String path, String operation) {
        DataLakeFileClient client = fileSystem.getFileClient(path);
        retry.call(operation, location(path), attempt -> {
            try {
                return client.deleteWithResponse(null, null, Context.NONE);
            } catch (DataLakeStorageException e) {
                if (e.getStatusCode() == 404 && !FILE_SYSTEM_NOT_FOUND.equals(e.getErrorCode())) {
                    return null; // gone already: deleted by an earlier attempt, or by someone else
                }
                throw e;
            }
        });
    }

    private static boolean isNameTaken(DataLakeStorageException e) {
        return e.getStatusCode() == 409 || e.getStatusCode() == 412;
    }

    private static boolean isAuthenticationFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ClientAuthenticationException) {
                return true;
            }
        }
        return false;
    }

    /** The path of a file (or, with a null name, of the directory) inside the file system. */
    private String pathOf(LakeDirectory directory, String name) {
        String dir = root.isEmpty() ? directory.relativePath() : root + "/" + directory.relativePath();
        return name == null ? dir : dir + "/" + name;
    }

    /** For messages: the endpoint, the file system and the path. */
    private String location(String path) {
        return config.endpoint() + "/" + config.fileSystem() + (path.isEmpty() ? "" : "/" + path);
    }

    @Override
    public String toString() {
        return "AdlsLakeStore[" + location(root) + "]";
    }
}
