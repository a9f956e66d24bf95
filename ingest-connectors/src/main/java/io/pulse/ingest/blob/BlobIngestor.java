package io.pulse.ingest.blob;

import com.azure.storage.blob.BlobClient;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.models.BlobRange;
import com.azure.storage.blob.models.BlobRequestConditions;
import com.azure.storage.blob.options.BlobInputStreamOptions;
import io.pulse.avro.Envelope;
import io.pulse.ingest.delivery.DeadLetter;
import io.pulse.ingest.delivery.DeadLetters;
import io.pulse.ingest.delivery.EventDelivery;
import io.pulse.ingest.delivery.KafkaDeadLetters;
import io.pulse.ingest.delivery.SourceId;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ingests one blob version: streams it line by line from where the ledger says it stands, maps each batch of lines,
 * hands the events to the delivery path and the bad lines to the dead letters, and records the batch in the ledger
 * only once both are durable. A read that stops anywhere (crash, pause, storage failure) resumes after the last
 * recorded batch; at most that one batch is delivered twice, with the same event ids.
 */
final class BlobIngestor {
    /**
     * Origin of a dead-lettered line, each a {@code pulse.origin.<name>} header ({@link KafkaDeadLetters#ORIGIN_PREFIX}):
     * {@code pulse.origin.blob.container}, {@code pulse.origin.blob.name}, {@code pulse.origin.blob.line} (1 for the
     * first line) and {@code pulse.origin.blob.etag}.
     */
    static final String ORIGIN_CONTAINER = "blob.container";
    static final String ORIGIN_BLOB = "blob.name";
    static final String ORIGIN_LINE = "blob.line";
    static final String ORIGIN_ETAG = "blob.etag";
    /** A batch also ends once its lines hold this many bytes, however few they are. */
    static final int MAX_BATCH_BYTES = 8 * 1024 * 1024;
    private static final int READ_BLOCK_BYTES = 4 * 1024 * 1024;
    private static final int MAX_DEAD_LETTER_BYTES = 64 * 1024;
    private static final Logger log = LoggerFactory.getLogger(BlobIngestor.class);

    /** How far one call got. */
    enum Outcome { DONE, STOPPED }


    private final BlobDropConfig config;
    private final SourceId source;
    private final BlobContainerClient container;
    private final BlobLedger ledger;
    private final EventDelivery delivery;
    private final DeadLetters deadLetters;
    private final Clock clock;
    private final AtomicLong eventsDelivered = new AtomicLong();
    private final AtomicLong linesDeadLettered = new AtomicLong();

    BlobIngestor(BlobDropConfig config, BlobContainerClient container, BlobLedger ledger, EventDelivery delivery,
                 DeadLetters deadLetters, Clock clock) {
        this.config = config;
        this.source = config.sourceId();
        this.container = container;
        this.ledger = ledger;
        this.delivery = delivery;
        this.deadLetters = deadLetters;
        this.clock = clock;
    }

    /**
     * Ingests the drop from its recorded position until its end, or until {@code keepGoing} turns false (checked
     * after each recorded batch).
     *
     * @throws RuntimeException a storage failure (classified by {@link StorageFailures}; nothing of the unfinished
     *     batch is recorded), or {@link DeliveryFailedException}
     */
    Outcome ingest(BlobDrop drop, BooleanSupplier keepGoing) {
        BlobLedger.Entry entry = ledger.startOf(drop.name(), drop.etag(), clock.instant());
        if (entry.state() == BlobLedger.State.DONE) {
            return Outcome.DONE;
        }
        if (entry.lines() > 0) {
            log.info("Blob drop source {}: resuming blob '{}' (ETag {}) after line {}", source, drop.name(), drop.etag(), entry.lines());
        }
        BlobLineMapper mapper = new BlobLineMapper(drop, container.getAccountName(), config.container(), config.sourceSystem(),
                config.maxLineBytes(), clock);
        BlobClient blob = container.getBlobClient(drop.name());
        if (mapper.hasHeader() && entry.lines() > 0) {
            readHeader(blob, drop, mapper);
        }
        if (entry.offset() < drop.size()) {
            try (InputStream in = blob.openInputStream(new BlobInputStreamOptions()
                    .setRange(new BlobRange(entry.offset()))
                    .setRequestConditions(new BlobRequestConditions().setIfMatch(drop.ifMatch()))
                    .setBlockSize(READ_BLOCK_BYTES))) {
                LineReader reader = new LineReader(in, entry.offset(), entry.lines(), config.maxLineBytes());
                while (true) {
                    Optional<BlobLedger.Entry> next = ingestBatch(reader, drop, mapper, entry);
                    if (next.isEmpty()) {
                        break;
                    }
                    entry = next.get();
                    ledger.record(entry);
                    if (!keepGoing.getAsBoolean()) {
                        return Outcome.STOPPED;
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("reading blob '" + drop.name() + "' failed: " + e.getMessage(), e);
            }
        }
        BlobLedger.Entry done = new BlobLedger.Entry(drop.name(), drop.etag(), BlobLedger.State.DONE, entry.lines(), entry.offset(),
                entry.events(), entry.deadLetters(), clock.instant());
        ledger.record(done);
        log.info("Blob drop source {}: ingested blob '{}' (ETag {}): {} lines, {} events, {} dead-lettered", source, drop.name(),
                drop.etag(), done.lines(), done.events(), done.deadLetters());
        return Outcome.DONE;
    }

    /** Events delivered since this ingestor was created (a batch delivered twice after a failure counts twice). */
    long eventsDelivered() {
        return eventsDelivered.get();
    }

    long linesDeadLettered() {
        return linesDeadLettered.get();
    }

    /** Reads, maps and delivers the next batch; empty at the end of the blob. */
    private Optional<BlobLedger.Entry> ingestBatch(LineReader reader, BlobDrop drop, BlobLineMapper mapper, BlobLedger.Entry from)
            throws IOException {
        List<Envelope> events = new ArrayList<>();
        List<DeadLetter> letters = new ArrayList<>();
        LineReader.Line last = null;
        int lines = 0;
        long bytes = 0;
        LineReader.Line line;
        while (lines < config.batchSize() && bytes < MAX_BATCH_BYTES && (line = reader.next()) != null) {
            last = line;
            lines++;
            bytes += line.bytes().length;
            if (line.number() == 1 && mapper.hasHeader()) {
                mapper.header(line).ifPresent(problem -> log.warn("Blob drop source {}: blob '{}' (ETag {}): {}; every row will be"
                        + " dead-lettered", source, drop.name(), drop.etag(), problem.getMessage()));
            } else if (!line.isBlank()) {
                try {
                    events.add(mapper.map(line));
                } catch (BadLineException bad) {
                    letters.add(deadLetter(drop, line, bad));
                }
            }
        }
        if (last == null) {
            return Optional.empty();
        }
        deliver(drop, last.number(), events, letters);
        eventsDelivered.addAndGet(events.size());
        linesDeadLettered.addAndGet(letters.size());
        return Optional.of(new BlobLedger.Entry(drop.name(), drop.etag(), BlobLedger.State.IN_PROGRESS, last.number(), last.nextOffset(),
                from.events() + events.size(), from.deadLetters() + letters.size(), clock.instant()));
    }

    /** Waits until the batch's events and dead letters are all durable. */
    private void deliver(BlobDrop drop, long lastLine, List<Envelope> events, List<DeadLetter> letters) {
        List<CompletableFuture<Void>> pending = new ArrayList<>(letters.size() + 1);
        if (!events.isEmpty()) {
            pending.add(delivery.deliver(source, events));
        }
        letters.forEach(letter -> pending.add(deadLetters.send(letter)));
        try {
            CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).get();
        } catch (ExecutionException e) {
            throw new DeliveryFailedException("could not deliver the lines up to " + lastLine + " of blob '" + drop.name() + "' ("
                    + events.size() + " events, " + letters.size() + " dead letters): " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeliveryFailedException("interrupted while delivering the lines up to " + lastLine + " of blob '"
                    + drop.name() + "'", e);
        }
    }

    private DeadLetter deadLetter(BlobDrop drop, LineReader.Line line, BadLineException bad) {
        Map<String, String> origin = new LinkedHashMap<>();
        origin.put(ORIGIN_CONTAINER, config.container());
        origin.put(ORIGIN_BLOB, drop.name());
        origin.put(ORIGIN_LINE, Long.toString(line.number()));
        origin.put(ORIGIN_ETAG, drop.etag());
        byte[] value = line.bytes().length > MAX_DEAD_LETTER_BYTES ? Arrays.copyOf(line.bytes(), MAX_DEAD_LETTER_BYTES) : line.bytes();
        BadLineException reason = new BadLineException(bad.rule(), bad.field(), "line " + line.number() + " of blob '" + drop.name()
                + "' (rule " + bad.rule() + ", field " + bad.field() + "): " + bad.getMessage());
        return new DeadLetter(source, null, value, reason, origin, clock.instant());
    }

    /** The header row of a CSV whose reading resumes past it. */
    private void readHeader(BlobClient blob, BlobDrop drop, BlobLineMapper mapper) {
        try (InputStream in = blob.openInputStream(new BlobInputStreamOptions()
                .setRange(new BlobRange(0, (long) config.maxLineBytes() + 2))
                .setRequestConditions(new BlobRequestConditions().setIfMatch(drop.ifMatch())))) {
            LineReader.Line header = new LineReader(in, 0, 0, config.maxLineBytes()).next();
            if (header != null) {
                mapper.header(header);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("reading the header row of blob '" + drop.name() + "' failed: " + e.getMessage(), e);
        }
    }

    /** The delivery path could not make a batch durable: the batch is not recorded and is read again later. */
    static final class DeliveryFailedException extends RuntimeException {
        DeliveryFailedException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
