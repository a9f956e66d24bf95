package io.pulse.ingest.jdbc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pulse.avro.Envelope;
import io.pulse.common.config.Durations;
import io.pulse.ingest.delivery.DeadLetter;
import io.pulse.ingest.delivery.DeadLetters;
import io.pulse.ingest.delivery.EventDelivery;
import io.pulse.ingest.delivery.SourceId;
import io.pulse.ingest.source.IngestSource;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Polls a table (or query) of an on-premises database over JDBC and hands its rows, mapped to envelopes,
 * to the shared {@link EventDelivery}; rows that cannot be mapped go to the {@link DeadLetters} with the
 * table, row id and reason.
 *
 * <h2>Position and guarantees</h2>
 * The position (last id, and last timestamp in timestamp+incrementing mode) is stored durably only after
 * the batch's delivery future and dead letters completed: at-least-once into the delivery path. A crash
 * between the two re-reads that batch after a restart; its event ids are derived deterministically from
 * source, table, id (and timestamp), so the topology drops the re-sent copies. A failed or timed-out
 * delivery does not move the position; the batch is read again after a backoff.
 *
 * <h2>Modes, and what each can miss</h2>
 * <ul>
 *   <li><b>incrementing</b>: reads rows with an id above the last one. Ids from a sequence are handed out
 *       when a row is inserted, not when its transaction commits: a long transaction that commits id 41
 *       after id 42 was read is never seen. Use it for append-only tables with short transactions; use
 *       timestamp+incrementing otherwise.</li>
 *   <li><b>timestamp+incrementing</b>: reads rows after (last timestamp, last id) in (timestamp, id)
 *       order, so many rows with one timestamp are read in full across batches, and an updated row (a
 *       newer timestamp) is read again as a new event. It reads only rows older than the database's
 *       current time minus {@code timestamp.delay}: a transaction that stamps a row and commits less than
 *       the delay later is still seen. The trade-off: every row reaches Kafka at least the delay late,
 *       and a transaction that commits later than the delay after stamping its rows is missed. Choose the
 *       delay above the longest write transaction of the source system (default 5s).</li>
 * </ul>
 *
 * <h2>Failures</h2>
 * Retriable failures ({@link JdbcErrors}: connection loss, serialization failures, server restarts, a
 * delivery path that cannot make a batch durable) are retried with exponential backoff up to
 * {@code retry.max-backoff}, as many times as {@code retry.max-retries} allows. A permanent failure (bad
 * SQL, wrong credentials, a column the configuration names that the table lacks) stops the source with one
 * ERROR naming the source and the SQL state; {@link #status()} shows it as {@link State#FAILED}.
 */
public final class JdbcPollingSource implements IngestSource {
    private static final Logger log = LoggerFactory.getLogger(JdbcPollingSource.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration CLOSE_GRACE = Duration.ofSeconds(2);

    /** Where the poller is. */
    public enum State { CREATED, RUNNING, PAUSED, RETRYING, FAILED, CLOSED }

    /**
     * For health and the admin endpoint.
     *
     * @param lastError the failure being retried (RETRYING) or that stopped the source (FAILED)
     */
    public record Status(SourceId source, State state, SourcePosition position, long rowsRead, long eventsDelivered,
                         long deadLettered, int consecutiveFailures, Optional<String> lastError) {
    }

    private final JdbcSourceConfig config;
    private final SourceId id;
    private final EventDelivery delivery;
    private final DeadLetters deadLetters;
    private final Clock clock;
    private final RowReader reader;
    private final EnvelopeMapper mapper;
    private final PositionStore positions;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wake = lock.newCondition();
    private final AtomicLong rowsRead = new AtomicLong();
    private final AtomicLong eventsDelivered = new AtomicLong();
    private final AtomicLong deadLettered = new AtomicLong();
    private volatile boolean paused;
    private volatile boolean closed;
    private volatile State state = State.CREATED;
    private volatile SourcePosition position = SourcePosition.START;
    private volatile int consecutiveFailures;
    private volatile String lastError;
    private Thread thread;

    public JdbcPollingSource(JdbcSourceConfig config, EventDelivery delivery, DeadLetters deadLetters, Clock clock) {
        this.config = config;
        this.id = config.sourceId();
        this.delivery = delivery;
        this.deadLetters = deadLetters;
        this.clock = clock;
        this.reader = new RowReader(config);
        this.mapper = new EnvelopeMapper(config);
        this.positions = new PositionStore(config.positionFile(), PositionStore.setupOf(config.polling()));
    }

    @Override
    public SourceId id() {
        return id;
    }

    /** Starts the poller thread; the position is loaded there, so a bad position file shows as FAILED. */
    @Override
    public synchronized void start() {
        if (thread != null) {
            throw new IllegalStateException("JDBC source " + id + " was already started");
        }
        if (closed) {
            throw new IllegalStateException("JDBC source " + id + " is closed");
        }
        thread = new Thread(this::run, "pulse-jdbc-" + config.name());
        thread.setDaemon(true);
        thread.start();
    }

    /** Stops polling after the batch in hand (whose position is still stored); the position is kept. */
    @Override
    public void pause() {
        paused = true;
    }

    @Override
    public void resume() {
        paused = false;
        signal();
    }

    @Override
    public boolean paused() {
        return paused;
    }

    public Status status() {
        return new Status(id, state, position, rowsRead.get(), eventsDelivered.get(), deadLettered.get(), consecutiveFailures,
                Optional.ofNullable(lastError));
    }

    /**
     * Stops the poller. A batch still waiting for its delivery is abandoned without storing its position:
     * the next start reads it again, with the same event ids.
     */
    @Override
    public void close() {
        Thread t;
        synchronized (this) {
            closed = true;
            t = thread;
        }
        signal();
        if (t != null) {
            try {
                t.join(CLOSE_GRACE.toMillis());
                if (t.isAlive()) {
                    t.interrupt();
                    t.join(config.polling().queryTimeout().plus(CLOSE_GRACE).toMillis());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        } else {
            state = State.CLOSED;
        }
    }

    private void run() {
        try {
            position = positions.load();
        } catch (Exception e) {
            stop(e, "could not load its position from " + positions.file());
            return;
        }
        log.info("JDBC source {} polls {} in mode {} from position {}", id, config.polling().relation(), config.polling().mode(), position);
        try {
            loop();
        } finally {
            reader.close();
            if (state != State.FAILED) {
                state = State.CLOSED;
            }
        }
    }

    private void loop() {
        while (!closed) {
            if (paused) {
                state = State.PAUSED;
                awaitWakeUp(null);
                continue;
            }
            try {
                int rows = pollOnce();
                if (consecutiveFailures > 0) {
                    log.info("JDBC source {} recovered after {} failed attempt(s)", id, consecutiveFailures);
                }
                consecutiveFailures = 0;
                lastError = null;
                state = State.RUNNING;
                if (rows < config.polling().batchSize()) {
                    awaitWakeUp(config.polling().interval());
                }
            } catch (InterruptedException e) {
                if (!closed) {
                    stop(e, "was interrupted");
                }
                return;
            } catch (Exception e) {
                reader.reset();
                if (closed) {
                    return;
                }
                if (!JdbcErrors.isRetriable(e)) {
                    stop(e, "failed permanently");
                    return;
                }
                consecutiveFailures++;
                lastError = describe(e);
                if (config.retry().exhausted(consecutiveFailures)) {
                    stop(e, "gave up after " + consecutiveFailures + " consecutive retriable failures");
                    return;
                }
                Duration backoff = backoff(consecutiveFailures);
                if (consecutiveFailures == 1) {
                    log.warn("JDBC source {} failed, retrying with backoff up to {}: {}", id, Durations.format(config.retry().maxBackoff()),
                            lastError);
                } else {
                    log.debug("JDBC source {} failed again (attempt {}), next try in {}: {}", id, consecutiveFailures,
                            Durations.format(backoff), lastError);
                }
                state = State.RETRYING;
                awaitWakeUp(backoff);
            }
        }
    }

    /** Reads one batch, delivers it and its dead letters, then stores the position; returns the rows read. */
    private int pollOnce() throws Exception {
        List<SourceRow> rows = reader.read(position);
        if (rows.isEmpty()) {
            return 0;
        }
        Instant now = clock.instant();
        List<Envelope> events = new ArrayList<>(rows.size());
        List<CompletableFuture<Void>> pending = new ArrayList<>();
        int dead = 0;
        for (SourceRow row : rows) {
            try {
                events.add(mapper.map(row, now));
            } catch (UnmappableRowException | RuntimeException e) {
                log.warn("JDBC source {}: row {} of {} goes to the dead-letter topic: {}", id, row.position(), config.polling().relation(),
                        e.getMessage() == null ? e.toString() : e.getMessage());
                pending.add(deadLetters.send(deadLetter(row, e, now)));
                dead++;
            }
        }
        if (!events.isEmpty()) {
            pending.add(0, delivery.deliver(id, events));
        }
        SourcePosition last = rows.get(rows.size() - 1).position();
        try {
            CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new))
                    .get(config.deliveryTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw JdbcSourceException.retriable("the batch of " + rows.size() + " row(s) up to " + last + " was not made durable: "
                    + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw JdbcSourceException.retriable("the batch of " + rows.size() + " row(s) up to " + last + " was not durable within "
                    + config.deliveryTimeout(), e);
        }
        positions.save(last);
        position = last;
        rowsRead.addAndGet(rows.size());
        eventsDelivered.addAndGet(events.size());
        deadLettered.addAndGet(dead);
        return rows.size();
    }

    private DeadLetter deadLetter(SourceRow row, Exception reason, Instant now) {
        Map<String, String> origin = new LinkedHashMap<>();
        origin.put("table", config.polling().relation());
        origin.put("row-id", Long.toString(row.id()));
        row.timestamp().ifPresent(t -> origin.put("row-timestamp", t.toString()));
        byte[] key = (config.polling().relation() + "/" + row.id()).getBytes(StandardCharsets.UTF_8);
        return new DeadLetter(id, key, rowAsJson(row), reason, origin, now);
    }

    /** The row as read: a JSON object of column label to text (timestamps ISO-8601, decimals plain). */
    private static byte[] rowAsJson(SourceRow row) {
        Map<String, String> text = new LinkedHashMap<>();
        row.values().forEach((column, value) -> text.put(column, value == null ? null
                : value instanceof java.math.BigDecimal d ? d.toPlainString() : value.toString()));
        try {
            return JSON.writeValueAsBytes(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a map of strings always serializes", e);
        }
    }

    /** initial × 2^(n-1), at most the maximum. */
    Duration backoff(int attempt) {
        Duration initial = config.retry().initialBackoff();
        Duration max = config.retry().maxBackoff();
        int doublings = Math.min(attempt - 1, 30);
        long millis = initial.toMillis() * (1L << doublings);
        return millis <= 0 || millis > max.toMillis() ? max : Duration.ofMillis(millis);
    }

    private void stop(Exception e, String what) {
        lastError = describe(e);
        state = State.FAILED;
        log.error("JDBC source {} {} and stopped: {}", id, what, lastError);
    }

    /** The SQL state first (when there is one), then what went wrong; never row values or secrets. */
    private static String describe(Exception e) {
        String message = e.getMessage() == null ? e.getClass().getName() : e.getMessage();
        return JdbcErrors.sqlState(e).map(s -> "SQL state " + s + ": ").orElse("") + message;
    }

    /** Waits for the duration (for ever when null) or until resumed or closed. */
    private void awaitWakeUp(Duration timeout) {
        lock.lock();
        try {
            if (closed || (timeout == null && !paused)) {
                return;
            }
            if (timeout == null) {
                wake.await();
            } else {
                wake.awaitNanos(timeout.toNanos());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // only close() interrupts the poller; the loop sees closed
        } finally {
            lock.unlock();
        }
    }

    private void signal() {
        lock.lock();
        try {
            wake.signalAll();
        } finally {
            lock.unlock();
        }
    }
}
