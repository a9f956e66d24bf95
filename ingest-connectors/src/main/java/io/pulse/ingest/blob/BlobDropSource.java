package io.pulse.ingest.blob;

import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.models.BlobErrorCode;
import com.azure.storage.blob.models.BlobItem;
import com.azure.storage.blob.models.BlobItemProperties;
import com.azure.storage.blob.models.BlobStorageException;
import com.azure.storage.blob.models.BlobType;
import com.azure.storage.blob.models.ListBlobsOptions;
import io.pulse.ingest.delivery.DeadLetters;
import io.pulse.ingest.delivery.EventDelivery;
import io.pulse.ingest.delivery.SourceId;
import io.pulse.ingest.source.IngestSource;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Azure Blob drop source: watches a container for new JSON-lines and CSV blobs and turns each line into an event
 * (source kind BLOB), through the shared delivery path; lines that cannot be events go to the dead letters with the
 * blob's name and the line number. Each blob version (name and ETag) is ingested once, tracked in a local
 * {@link BlobLedger}; a blob uploaded again under the same name has a new ETag and is a new drop.
 *
 * <p>One background thread lists the container every poll interval (oldest drops first) and ingests what the ledger
 * has not finished, in batches, recording each batch only after the delivery path made it durable. Transient storage
 * failures (408, 429, 5xx, I/O) are retried with backoff; permanent ones (credentials refused, container missing)
 * are logged once at ERROR naming the container, shown in {@link #status()}, and polled on at the longest backoff,
 * so a fix takes effect without a restart.
 *
 * <p>After a crash, reading resumes after the last recorded batch. The batch in flight at the crash may reach the
 * topic twice, with the same event ids (the line's own id, or {@link BlobEventIds}' deterministic one), which the
 * topology de-duplicates; its dead letters may also appear twice.
 */
public final class BlobDropSource implements IngestSource {
    private static final Logger log = LoggerFactory.getLogger(BlobDropSource.class);
    private static final Duration CLOSE_GRACE = Duration.ofSeconds(30);

    private final BlobDropConfig config;
    private final BlobContainerClient container;
    private final EventDelivery delivery;
    private final DeadLetters deadLetters;
    private final Clock clock;
    private final StorageRetry retry;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wake = lock.newCondition();
    private final Set<String> warnedBlobs = new HashSet<>();
    private final AtomicLong blobsIngested = new AtomicLong();
    private final AtomicLong successfulPolls = new AtomicLong();
    private volatile BlobDropStatus.State state = BlobDropStatus.State.NEW;
    private volatile String problem;
    private volatile Instant lastSuccessfulPoll;
    private volatile boolean paused;
    private volatile boolean running;
    private boolean wakeRequested;
    private int consecutiveFailures;
    private BlobLedger ledger;
    private volatile BlobIngestor ingestor;
    private Thread thread;

    BlobDropSource(BlobDropConfig config, BlobContainerClient container, EventDelivery delivery, DeadLetters deadLetters, Clock clock) {
        this.config = config;
        this.container = container;
        this.delivery = delivery;
        this.deadLetters = deadLetters;
        this.clock = clock;
        this.retry = new StorageRetry("blob-drop-" + config.sourceName(), config.retry());
    }

    /** An unstarted source; {@link #start()} opens its ledger and begins polling. */
    public static BlobDropSource create(BlobDropConfig config, EventDelivery delivery, DeadLetters deadLetters, Clock clock) {
        return new BlobDropSource(config, BlobClients.container(config), delivery, deadLetters, clock);
    }

    @Override
    public SourceId id() {
        return config.sourceId();
    }

    /**
     * Opens the ledger and starts the polling thread.
     *
     * @throws IllegalStateException if started before, or another source holds the ledger directory
     * @throws java.io.UncheckedIOException if the ledger cannot be opened or read
     */
    @Override
    public synchronized void start() {
        if (thread != null) {
            throw new IllegalStateException("blob drop source " + id() + " was started before");
        }
        ledger = BlobLedger.open(config.ledgerDir());
        ingestor = new BlobIngestor(config, container, ledger, delivery, deadLetters, clock);
        running = true;
        state = paused ? BlobDropStatus.State.PAUSED : BlobDropStatus.State.POLLING;
        thread = new Thread(this::run, "pulse-blob-drop-" + config.sourceName());
        thread.setDaemon(true);
        thread.start();
        log.info("Blob drop source {} started: container '{}' of account '{}', prefix '{}', every {}, formats {}, ledger {} ({} entries)",
                id(), config.container(), container.getAccountName(), config.prefix(), config.pollInterval(), config.formats(),
                config.ledgerDir(), ledger.size());
    }

    /** Stops after the batch being delivered (recorded); the ledger keeps the position. */
    @Override
    public void pause() {
        paused = true;
        if (running) {
            state = BlobDropStatus.State.PAUSED;
        }
        log.info("Blob drop source {} paused", id());
    }

    @Override
    public void resume() {
        paused = false;
        if (running) {
            state = BlobDropStatus.State.POLLING;
        }
        signal();
        log.info("Blob drop source {} resumed", id());
    }

    @Override
    public boolean paused() {
        return paused;
    }

    public BlobDropStatus status() {
        BlobIngestor i = ingestor;
        return new BlobDropStatus(id(), config.container(), state, Optional.ofNullable(problem), blobsIngested.get(),
                i == null ? 0 : i.eventsDelivered(), i == null ? 0 : i.linesDeadLettered(), successfulPolls.get(),
                Optional.ofNullable(lastSuccessfulPoll));
    }

    /** Stops polling after the batch in flight is recorded (waiting up to 30 s for it), then releases the ledger. */
    @Override
    public void close() {
        Thread t;
        synchronized (this) {
            running = false;
            t = thread;
        }
        signal();
        if (t != null) {
            try {
                t.join(CLOSE_GRACE.toMillis());
                if (t.isAlive()) {
                    log.warn("Blob drop source {} did not stop within {}; interrupting it (the batch in flight is read again"
                            + " at the next start)", id(), CLOSE_GRACE);
                    t.interrupt();
                    t.join(TimeUnit.SECONDS.toMillis(5));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        synchronized (this) {
            if (ledger != null && (t == null || !t.isAlive())) {
                ledger.close();
            }
            state = BlobDropStatus.State.CLOSED;
        }
    }

    private void run() {
        try {
            pollUntilClosed();
        } catch (Throwable t) { // an Error: the source cannot go on, and its health must say so
            problem = "the polling thread stopped: " + t;
            state = BlobDropStatus.State.FAILING;
            log.error("Blob drop source {}: the polling thread stopped; restart the process", id(), t);
            throw t;
        }
    }

    private void pollUntilClosed() {
        while (running) {
            if (paused) {
                await(config.retry().maxBackoff());
                continue;
            }
            Duration next = config.pollInterval();
            try {
                poll();
                recovered();
            } catch (RuntimeException e) {
                next = failed(e);
            }
            await(next);
        }
    }

    /** Lists the container and ingests every drop the ledger has not finished, oldest first. */
    private void poll() {
        List<BlobDrop> drops = retry.call(this::listDrops);
        for (BlobDrop drop : drops) {
            if (!keepGoing()) {
                return;
            }
            if (ledger.isDone(drop.name(), drop.etag())) {
                continue;
            }
            try {
                if (retry.call(() -> ingestor.ingest(drop, this::keepGoing)) == BlobIngestor.Outcome.DONE) {
                    blobsIngested.incrementAndGet();
                }
            } catch (BlobIngestor.DeliveryFailedException e) {
                throw e;
            } catch (RuntimeException e) {
                StorageFailures.Kind kind = StorageFailures.classify(e);
                if (kind == StorageFailures.Kind.BLOB_GONE) {
                    log.info("Blob drop source {}: blob '{}' (ETag {}) was deleted before it was read to its end; nothing more to ingest",
                            id(), drop.name(), drop.etag());
                } else if (kind == StorageFailures.Kind.BLOB_CHANGED) {
                    log.info("Blob drop source {}: blob '{}' was replaced while it was read (ETag {} is gone); the new version is a"
                            + " new drop", id(), drop.name(), drop.etag());
                } else {
                    throw e;
                }
            }
        }
        lastSuccessfulPoll = clock.instant();
        successfulPolls.incrementAndGet();
    }

    /** Every drop under the prefix, oldest first; forgets finished blobs the container no longer holds. */
    private List<BlobDrop> listDrops() {
        List<BlobDrop> drops = new ArrayList<>();
        Set<String> names = new HashSet<>();
        ListBlobsOptions options = new ListBlobsOptions().setMaxResultsPerPage(1000);
        if (!config.prefix().isEmpty()) {
            options.setPrefix(config.prefix());
        }
        for (BlobItem item : container.listBlobs(options, null)) {
            names.add(item.getName());
            Optional<BlobFormat> format = config.formatOf(item.getName());
            BlobItemProperties p = item.getProperties();
            if (format.isEmpty() || Boolean.TRUE.equals(item.isDeleted()) || Boolean.TRUE.equals(item.isPrefix()) || p == null) {
                continue;
            }
            if (p.getBlobType() != null && p.getBlobType() != BlobType.BLOCK_BLOB) {
                if (warnedBlobs.add(item.getName() + "\n" + p.getETag())) {
                    log.warn("Blob drop source {}: blob '{}' is a {}, not a block blob; only whole files dropped as block blobs are"
                            + " ingested (an append blob's every append would be a new drop)", id(), item.getName(), p.getBlobType());
                }
                continue;
            }
            long size = p.getContentLength() == null ? 0 : p.getContentLength();
            drops.add(new BlobDrop(item.getName(), p.getETag(), size, p.getLastModified(), format.get()));
        }
        int forgotten = ledger.forgetDoneExcept(names);
        if (forgotten > 0) {
            log.info("Blob drop source {}: forgot {} ingested blob(s) no longer in the container", id(), forgotten);
        }
        drops.sort(Comparator.comparing(BlobDrop::lastModified, Comparator.nullsFirst(Comparator.<OffsetDateTime>naturalOrder()))
                .thenComparing(BlobDrop::name));
        return drops;
    }

    private boolean keepGoing() {
        return running && !paused;
    }

    private void recovered() {
        if (problem != null) {
            log.info("Blob drop source {}: container '{}' is being polled again after {} failed poll(s)", id(), config.container(),
                    consecutiveFailures);
        }
        problem = null;
        consecutiveFailures = 0;
        if (running) {
            state = paused ? BlobDropStatus.State.PAUSED : BlobDropStatus.State.POLLING;
        }
    }

    /** Records and logs (once per distinct problem) a failed poll; returns how long to wait before the next. */
    private Duration failed(RuntimeException e) {
        consecutiveFailures++;
        boolean permanent;
        String message;
        if (e instanceof BlobIngestor.DeliveryFailedException) {
            permanent = false;
            message = "the delivery path could not make lines durable; they are read again at the next poll: " + e.getMessage();
        } else if (StorageFailures.classify(e) == StorageFailures.Kind.TRANSIENT) {
            permanent = false;
            message = "container '" + config.container() + "' of account '" + container.getAccountName() + "' could not be reached after "
                    + config.retry().maxAttempts() + " attempt(s) (" + StorageFailures.describe(e) + ")";
        } else {
            permanent = true;
            message = permanentProblem(e);
        }
        if (message.equals(problem)) {
            log.debug("Blob drop source {}: poll {} failed again: {}", id(), consecutiveFailures, message);
        } else if (!permanent) {
            log.warn("Blob drop source {}: {}; retrying with backoff", id(), message);
        } else if (StorageFailures.storageException(e).isPresent()) {
            log.error("Blob drop source {}: {}", id(), message);
        } else {
            log.error("Blob drop source {}: {}", id(), message, e); // not a storage verdict: may be a bug, so the stack trace
        }
        problem = message;
        if (running) {
            state = permanent ? BlobDropStatus.State.FAILING : BlobDropStatus.State.RETRYING;
        }
        Duration longest = max(config.retry().maxBackoff(), config.pollInterval());
        if (permanent) {
            return longest;
        }
        Duration backoff = max(config.pollInterval(), config.retry().initialBackoff().multipliedBy(1L << Math.min(consecutiveFailures - 1, 20)));
        return backoff.compareTo(longest) > 0 ? longest : backoff;
    }

    private String permanentProblem(RuntimeException e) {
        String where = "container '" + config.container() + "' of account '" + container.getAccountName() + "'";
        String what = StorageFailures.describe(e);
        BlobStorageException storage = StorageFailures.storageException(e).orElse(null);
        if (storage == null) {
            return "unexpected failure while polling " + where + ": " + what;
        }
        int status = storage.getStatusCode();
        if (status == 404 && BlobErrorCode.CONTAINER_NOT_FOUND.equals(storage.getErrorCode())) {
            return where + " does not exist (" + what + "): create it, or correct '" + BlobDropConfig.CONTAINER + "'";
        }
        if (status == 401 || status == 403) {
            return "access to " + where + " was refused (" + what + "): check " + BlobDropConfig.CONNECTION_STRING_ENV + " (or '"
                    + BlobDropConfig.ACCOUNT_NAME + "' and " + BlobDropConfig.ACCOUNT_KEY_ENV + ") and that it may list and read blobs";
        }
        return "the storage service refused a request on " + where + " (" + what + ")";
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    /** Waits until the deadline passes or {@link #signal()} is called (resume, close). */
    private void await(Duration timeout) {
        lock.lock();
        try {
            long nanos = timeout.toNanos();
            while (!wakeRequested && running && nanos > 0) {
                nanos = wake.awaitNanos(nanos);
            }
            wakeRequested = false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        } finally {
            lock.unlock();
        }
    }

    private void signal() {
        lock.lock();
        try {
            wakeRequested = true;
            wake.signalAll();
        } finally {
            lock.unlock();
        }
    }
}
