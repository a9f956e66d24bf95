package io.pulse.ingest.delivery;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.core.IntervalFunction;
import io.micrometer.core.instrument.MeterRegistry;
import io.pulse.avro.Alert;
import io.pulse.avro.Envelope;
import io.pulse.common.kafka.KafkaClientSettings;
import io.pulse.common.serde.SerdeFactory;
import io.pulse.common.topics.TopicCatalogue;
import io.pulse.ingest.delivery.outbox.Outbox;
import io.pulse.ingest.delivery.outbox.OutboxEntry;
import io.pulse.ingest.delivery.outbox.OutboxEnvelopeCodec;
import io.pulse.ingest.delivery.outbox.OutboxFullException;
import io.pulse.ingest.delivery.outbox.OutboxRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The production delivery path: envelopes to {@link TopicCatalogue#EVENTS} with an idempotent, acks=all
 * producer, or to a durable local {@link Outbox} when the broker cannot take them, drained in order in
 * the background. Also takes the sources' own dead letters ({@link DeadLetters}), on the same producer.
 *
 * <h2>Paths</h2>
 * <ul>
 *   <li><b>Direct</b> (circuit closed, outbox empty): each event is serialized (Confluent Avro, which
 *       validates it against the schema), sent, and the batch's future completes once the broker has
 *       acknowledged every event. An event the broker cannot take right now (unreachable, timed out,
 *       any transient error) is written to the outbox instead; one that can never succeed (does not
 *       serialize, too large, not authorized) goes to the dead-letter topic at once.</li>
 *   <li><b>Outbox</b> (circuit open, or the outbox holds events): batches are appended behind what waits,
 *       fsync'd, and their futures complete then. A single drainer thread sends the outbox in order, as
 *       fast as the broker takes it, and advances the outbox's stored position only past events the
 *       broker acknowledged (or the dead-letter topic took). When the outbox is empty and no direct send
 *       is in flight, deliveries go direct again. So events of a source reach each partition in the order
 *       they were accepted.</li>
 * </ul>
 *
 * <h2>Failures</h2> ({@link DeliveryFailures})
 * <ul>
 *   <li>{@link FailureKind#UNREACHABLE}: counts against the target's circuit breaker (resilience4j); the
 *       events wait in the outbox however long the outage lasts. While the circuit is open, nothing is sent;
 *       after {@code pulse.ingest.circuit-open-duration} one batch probes the broker.</li>
 *   <li>{@link FailureKind#TRANSIENT}: retried with exponential backoff (resilience4j's
 *       {@link IntervalFunction}); after {@code pulse.ingest.max-retries} retries the event goes to the
 *       dead-letter topic with its retry count and first failure time, and an alert is raised: an ERROR log
 *       line, the {@code pulse.ingest.delivery.alerts} counter, and a DELIVERY alert on the alerts topic.</li>
 *   <li>{@link FailureKind#PERMANENT}: to the dead-letter topic at once (if that is unreachable too, the
 *       event waits in the outbox and is dead-lettered once it can be).</li>
 * </ul>
 * A future completes exceptionally only with a {@link DeliveryUnavailableException}: the outbox is full
 * ({@code pulse.ingest.outbox-max-mb}) or cannot be written, or the path is closed.
 *
 * <h2>How long a delivery takes</h2>
 * While the broker answers: until it acknowledged (acks=all). While it does not: a direct send gives up
 * after {@code pulse.ingest.delivery-timeout} (the producer's {@code delivery.timeout.ms}), plus at most
 * 5 s blocked on metadata and a 1 s watchdog margin; then the event is in the outbox. An idempotent producer
 * that cannot reach the broker to bump its epoch stops expiring its batches; the watchdog then replaces it
 * (closing it at once aborts what it holds, so nothing of it reaches the broker behind the outbox's back).
 * Once the outbox holds events, or the circuit is open, deliveries take one fsync.
 *
 * <h2>Order</h2>
 * Events reach their partition (one per tenant) in the order the source handed them over, provided the
 * source hands over a batch after the previous one's future completed (as polling sources and a client
 * waiting for its 202 do); concurrent deliveries of one source have no order among them. Within a batch
 * the order holds too, with one narrow exception: when the broker comes back just as a direct send
 * expires, a later event of the batch may be acknowledged before an earlier one that went to the outbox.
 *
 * <h2>Transactions (exactly once for read_committed readers)</h2>
 * With a {@link DeliverySettings#transactionalId()} (where the broker has transactions: the Streams run
 * {@code exactly_once_v2}), the producer is transactional and every send is a transaction, committed only once
 * the broker acknowledged all of it: each direct batch, each drained outbox chunk (with its dead letters and
 * alerts), each source's dead letter. Futures of a direct batch complete after the commit, or once the whole
 * batch is in the outbox. One thread runs all transactions, in the order they were handed over. A transaction
 * that fails is aborted; one that cannot be (broker away, a send unanswered within the delivery timeout plus
 * 1 s, a commit that timed out) has its producer closed at once, and the next producer, with the same
 * {@code transactional.id}, fences it in {@code initTransactions()}, which aborts its open transaction. That
 * call waits for the broker: it runs on the transaction thread, retried by the drainer while the broker is away
 * (meanwhile deliveries go to the outbox). So what a failed transaction wrote is never visible to a
 * {@code read_committed} reader, and the outbox's re-send is the only copy. Remaining window: a commit whose
 * request reached the broker but whose answer was lost counts as failed, and its events are sent again.
 * Without a transactional id (Event Hubs: at-least-once), the paths above hold with an idempotent producer.
 *
 * <h2>Crash window</h2>
 * The outbox position is written after the broker acknowledged; a crash in between re-sends those events
 * after the restart, and so does replacing a producer whose send the broker had taken but not answered.
 * Without transactions the events topic is therefore at-least-once in these cases (with transactions, only a
 * crash between commit and the position write re-sends); the topology de-duplicates by event id.
 */
public final class KafkaEventDelivery implements EventDelivery, DeadLetters {
    private static final Logger log = LoggerFactory.getLogger(KafkaEventDelivery.class);
    private static final String CLIENT_ID = "pulse-ingest-delivery";
    private static final int DRAIN_RECORDS = 500;
    private static final long DRAIN_BYTES = 4L << 20;
    private static final int APPEND_GROUP = 1000;
    private static final long IDLE_WAIT_MS = 1000;
    private static final long MAX_BLOCK_MS = 5000;

    private final String target = TopicCatalogue.EVENTS.name();
    private final DeliverySettings settings;
    private final Supplier<Producer<byte[], byte[]>> producers;
    /** The producer in use; replaced when it stops answering (see {@link #recycle}). Null when sending in transactions. */
    private volatile ProducerHandle producer;
    /** With a {@link DeliverySettings#transactionalId()}: the transactional producer, used only on {@link #txThread}. */
    private final TransactionalSends tx;
    /** The one thread that runs transactions, in the order they were handed over; null without transactions. */
    private final ExecutorService txThread;
    /** Watches for sends the producer never settles. */
    private final ScheduledExecutorService watchdog;
    private final Duration stallAfter;
    private final Serializer<Envelope> envelopeSerializer;
    private final DeliveryRecords records;
    private final Outbox outbox;
    private final OutboxEnvelopeCodec codec;
    private final CircuitBreaker circuit;
    private final IntervalFunction backoff;
    private final DeliveryMetrics metrics;
    private final Clock clock;
    private final Duration sendTimeout;

    /** Guards the mode switch between the direct and the outbox path. */
    private final Object lock = new Object();
    private boolean outboxMode;
    private int pendingAppends;
    private boolean closed;
    private boolean writerStopped;
    /** Direct sends not yet settled (acknowledged, dead-lettered, or queued for the outbox). */
    private final AtomicInteger inflightDirect = new AtomicInteger();

    private final BlockingQueue<AppendRequest> appends = new LinkedBlockingQueue<>();
    private final ExecutorService callbacks;
    private final ExecutorService completionThreads = Executors.newCachedThreadPool(daemon("pulse-delivery-completions"));
    /** Runs callers' continuations; inline once closed. */
    private final java.util.concurrent.Executor completions = task -> {
        try {
            completionThreads.execute(task);
        } catch (java.util.concurrent.RejectedExecutionException closed) {
            task.run();
        }
    };
    private final Thread writer;
    private final Thread drainer;
    private final Object wake = new Object();
    private volatile boolean stopping;
    private volatile boolean writerStopping;

    private KafkaEventDelivery(Supplier<Producer<byte[], byte[]>> producers, Serializer<Envelope> envelopeSerializer,
                               Serializer<Alert> alertSerializer, DeliverySettings settings, MeterRegistry meters, Clock clock) {
        this.settings = settings;
        this.producers = producers;
        this.envelopeSerializer = envelopeSerializer;
        this.records = new DeliveryRecords(alertSerializer);
        this.clock = clock;
        boolean transactional = settings.transactionalId().isPresent();
        // A transactional producer initializes its transactions on the transaction thread, never on a caller's.
        this.producer = transactional ? null : new ProducerHandle(producers.get());
        this.tx = transactional ? new TransactionalSends(producers, target) : null;
        try {
            this.outbox = Outbox.open(settings.outboxDir(), settings.outboxMaxBytes());
        } catch (IOException e) {
            if (producer != null) {
                producer.kafka.close(Duration.ZERO);
            }
            throw new UncheckedIOException("Cannot open the ingest outbox in " + settings.outboxDir() + " ('"
                    + io.pulse.common.config.ConfigKeys.INGEST_OUTBOX_DIR + "'): " + e.getMessage(), e);
        }
        this.codec = new OutboxEnvelopeCodec(outbox.dir());
        this.circuit = CircuitBreaker.of(target, CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(Math.max(10, settings.circuitMinimumCalls()))
                .minimumNumberOfCalls(settings.circuitMinimumCalls())
                .failureRateThreshold(settings.circuitFailureRate())
                .waitDurationInOpenState(settings.circuitOpenDuration())
                .permittedNumberOfCallsInHalfOpenState(1)
                .automaticTransitionFromOpenToHalfOpenEnabled(true)
                .recordException(e -> DeliveryFailures.classify(e) == FailureKind.UNREACHABLE)
                .build());
        this.backoff = IntervalFunction.ofExponentialBackoff(settings.retryBackoff(), 2.0, settings.maxRetryBackoff());
        this.stallAfter = settings.deliveryTimeout().plusSeconds(1);
        this.sendTimeout = stallAfter.plusSeconds(5);
        this.metrics = new DeliveryMetrics(meters, target, circuit::getState, outbox, Outbox::events, Outbox::bytes);
        this.outboxMode = !outbox.isEmpty();
        circuit.getEventPublisher().onStateTransition(e -> {
            log.info("Delivery circuit of {}: {}", target, e.getStateTransition());
            signal();
        });
        this.callbacks = Executors.newSingleThreadExecutor(daemon("pulse-delivery-callbacks"));
        this.txThread = transactional ? Executors.newSingleThreadExecutor(daemon("pulse-delivery-transactions")) : null;
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, daemon("pulse-delivery-watchdog"));
        timer.setRemoveOnCancelPolicy(true);
        this.watchdog = timer;
        this.writer = daemon("pulse-outbox-writer").newThread(this::writeLoop);
        this.drainer = daemon("pulse-outbox-drainer").newThread(this::drainLoop);
        writer.start();
        drainer.start();
    }

    /**
     * The delivery path of this process, with its own producer ({@link KafkaClientSettings#producer}: acks=all,
     * idempotence) and the outbox in {@link DeliverySettings#outboxDir()}; starts draining what the outbox
     * already holds.
     *
     * @throws UncheckedIOException if the outbox cannot be opened (damaged, or held by another process); the
     *                              message names the directory and the problem
     */
    public static KafkaEventDelivery create(KafkaClientSettings kafka, SerdeFactory serdes, DeliverySettings settings,
                                            MeterRegistry meters) {
        Map<String, Object> config = new HashMap<>(kafka.producer(CLIENT_ID));
        long deliveryMs = settings.deliveryTimeout().toMillis();
        int linger = 5;
        config.put(ProducerConfig.LINGER_MS_CONFIG, linger);
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) deliveryMs);
        Object request = config.getOrDefault(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 30_000);
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.min(Long.parseLong(request.toString()), deliveryMs - linger));
        // send() blocks (under the mode lock) at most this long for metadata or buffer space before the outbox takes over.
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Math.min(deliveryMs, MAX_BLOCK_MS));
        settings.transactionalId().ifPresent(id -> config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, id));
        config.putAll(settings.producerOverrides());
        Map<String, Object> producerConfig = Map.copyOf(config);
        return create(() -> new KafkaProducer<>(producerConfig, new ByteArraySerializer(), new ByteArraySerializer()),
                serdes.forValue(TopicCatalogue.EVENTS).serializer(), serdes.forValue(TopicCatalogue.ALERTS).serializer(),
                settings, meters, Clock.systemUTC());
    }

    /**
     * With producers from a factory (MockProducers in tests): one at the start, another each time the one in
     * use stops answering. The producer in use is closed with the delivery path.
     */
    static KafkaEventDelivery create(Supplier<Producer<byte[], byte[]>> producers, Serializer<Envelope> envelopeSerializer,
                                     Serializer<Alert> alertSerializer, DeliverySettings settings, MeterRegistry meters,
                                     Clock clock) {
        return new KafkaEventDelivery(producers, envelopeSerializer, alertSerializer, settings, meters, clock);
    }

    // ---- EventDelivery ----------------------------------------------------------------------------

    @Override
    public CompletableFuture<Void> deliver(SourceId source, List<Envelope> events) {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(events, "events");
        if (events.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        synchronized (lock) {
            if (closed) {
                metrics.refused.increment(events.size());
                return CompletableFuture.failedFuture(new DeliveryUnavailableException(
                        "the delivery path to " + target + " is closed; " + events.size() + " events not accepted"));
            }
            if (!outboxMode && circuit.tryAcquirePermission()) {
                if (tx != null) {
                    return handOff(submitTransaction(source.value(), events));
                }
                DirectBatch batch = new DirectBatch(source.value(), events);
                batch.send();
                return handOff(batch.done);
            }
            return handOff(enqueueAppend(source.value(), events, clock.instant()));
        }
    }

    /**
     * The caller's view of a future: it completes on a thread of its own, so what the caller chains to it
     * (writing an HTTP answer, moving a source's position) never runs on, or holds up, the producer's I/O
     * thread or the outbox writer.
     */
    private <T> CompletableFuture<T> handOff(CompletableFuture<T> internal) {
        return internal.whenCompleteAsync((value, error) -> { }, completions);
    }

    @Override
    public DeliveryStatus status() {
        return new DeliveryStatus(target, circuit.getState().name(), outbox.events(), (long) metrics.delivered.count(),
                metrics.deadLettered());
    }

    // ---- DeadLetters ------------------------------------------------------------------------------

    /** A source's own dead letter (input it could not map), on the dead-letter topic with the headers of {@link KafkaDeadLetters}. */
    @Override
    public CompletableFuture<Void> send(DeadLetter letter) {
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(TopicCatalogue.DEAD_LETTERS.name(), null,
                letter.key(), letter.value(), KafkaDeadLetters.headers(letter));
        return handOff(sendRecord(record).thenApply(error -> {
            if (error != null) {
                throw new java.util.concurrent.CompletionException(error);
            }
            return null;
        }));
    }

    // ---- the direct path ----------------------------------------------------------------------------

    /** One batch sent straight to the broker; each event ends acknowledged, dead-lettered or in the outbox. */
    private final class DirectBatch {
        private final String source;
        private final List<Envelope> events;
        private final CompletableFuture<Void> done = new CompletableFuture<>();
        private final AtomicInteger open;
        /** Sends the producer has not settled yet (events on their way to the outbox are not counted). */
        private final AtomicInteger awaitingBroker = new AtomicInteger();
        private final long started = System.nanoTime();
        private final List<CompletableFuture<Void>> routed = new ArrayList<>();
        private final ProducerHandle handle = producer;
        private volatile Throwable unreachable;

        DirectBatch(String source, List<Envelope> events) {
            this.source = source;
            this.events = List.copyOf(events);
            this.open = new AtomicInteger(this.events.size());
        }

        /**
         * Called under the lock, so batches are handed to the producer in the order they were accepted. When a
         * send fails at once because the broker is unreachable (no metadata within {@code max.block.ms}), the
         * rest of the batch goes to the outbox without trying: each further send would block as long.
         */
        void send() {
            inflightDirect.addAndGet(events.size());
            boolean skipRest = false;
            for (Envelope event : events) {
                CompletableFuture<Void> eventDone = new CompletableFuture<>();
                routed.add(eventDone);
                if (skipRest) {
                    Instant now = clock.instant();
                    onCallbacks(() -> toOutbox(event, now, eventDone));
                    continue;
                }
                byte[] wire;
                try {
                    wire = envelopeSerializer.serialize(target, event);
                } catch (RuntimeException e) {
                    skipRest = DeliveryFailures.classify(e) == FailureKind.UNREACHABLE;
                    onCallbacks(() -> failed(event, null, e, eventDone));
                    continue;
                }
                awaitingBroker.incrementAndGet();
                CompletableFuture<Throwable> sent = handle.send(DeliveryRecords.event(source, event, wire));
                // Done already: the producer failed at once (or, mocked, succeeded); handled right here, in order.
                Throwable immediate = sent.getNow(null);
                skipRest = immediate != null && DeliveryFailures.classify(immediate) == FailureKind.UNREACHABLE;
                if (skipRest) {
                    outboxMode = true; // deliveries after this one must not block on the broker again
                }
                sent.thenAccept(error -> {
                    awaitingBroker.decrementAndGet();
                    if (error == null) {
                        metrics.delivered.increment();
                        settled(eventDone, null);
                    } else {
                        onCallbacks(() -> failed(event, wire, error, eventDone));
                    }
                });
            }
            var watch = watch(() -> {
                if (awaitingBroker.get() > 0) {
                    recycle(handle, new org.apache.kafka.common.errors.TimeoutException("the broker did not answer "
                            + awaitingBroker.get() + " sends of " + source + " within " + stallAfter.toMillis() + " ms"));
                }
            });
            CompletableFuture.allOf(routed.toArray(CompletableFuture[]::new)).whenComplete((ok, error) -> {
                watch.cancel(false);
                long took = System.nanoTime() - started;
                Throwable u = unreachable;
                if (u != null) {
                    circuit.onError(took, TimeUnit.NANOSECONDS, u);
                } else {
                    circuit.onSuccess(took, TimeUnit.NANOSECONDS);
                }
                if (error != null) {
                    done.completeExceptionally(DeliveryFailures.unwrap(error));
                } else {
                    done.complete(null);
                }
            });
        }

        /** On the callbacks thread, in the order the producer reported. */
        private void failed(Envelope event, byte[] wire, Throwable error, CompletableFuture<Void> eventDone) {
            FailureKind kind = DeliveryFailures.classify(error);
            if (kind == FailureKind.PERMANENT) {
                Instant now = clock.instant();
                logPermanent(source, event, error);
                sendRecord(DeliveryRecords.deadLetter(source, event, wire, null, error, 0, now)).whenComplete((dlqError, x) -> {
                    if (dlqError == null) {
                        metrics.deadLetteredPermanent.increment();
                        settled(eventDone, null);
                    } else {
                        // The dead-letter topic is unreachable too: keep the event; the drainer dead-letters it later.
                        onCallbacks(() -> toOutbox(event, now, eventDone));
                    }
                });
                return;
            }
            if (kind == FailureKind.UNREACHABLE) {
                unreachable = error;
            }
            log.debug("Event {} of {} goes to the outbox: {}", event.getEventId(), source, error.toString());
            toOutbox(event, clock.instant(), eventDone);
        }

        private void toOutbox(Envelope event, Instant firstFailure, CompletableFuture<Void> eventDone) {
            CompletableFuture<Void> appended;
            synchronized (lock) {
                outboxMode = true;
                appended = enqueueAppend(source, List.of(event), firstFailure);
            }
            appended.whenComplete((ok, error) -> settled(eventDone, error));
        }

        /** Takes no lock: it may run on the producer's I/O thread. */
        private void settled(CompletableFuture<Void> eventDone, Throwable error) {
            inflightDirect.decrementAndGet();
            if (error != null) {
                eventDone.completeExceptionally(error);
            } else {
                eventDone.complete(null);
            }
            if (open.decrementAndGet() == 0) {
                signal();
            }
        }
    }

    /**
     * Failure handling of direct sends runs on one thread, in the order the producer reported, and never on
     * the producer's I/O thread (it takes the mode lock, which a {@code send} blocked on metadata may hold).
     * Once that thread has stopped (closing), it runs inline.
     */
    private void onCallbacks(Runnable task) {
        try {
            callbacks.execute(task);
        } catch (java.util.concurrent.RejectedExecutionException closing) {
            task.run();
        }
    }

    private void logPermanent(String source, Envelope event, Throwable error) {
        log.warn("Event {} of tenant {} from {} cannot be delivered to {} ({}: {}); sending it to {}",
                event == null ? "?" : event.getEventId(), event == null ? "?" : event.getTenant(), source, target,
                error.getClass().getSimpleName(), error.getMessage(), TopicCatalogue.DEAD_LETTERS.name());
    }

    /**
     * Sends one record (a dead letter, an alert) on the current producer; the future completes with null once
     * acknowledged, or with the error (never exceptionally), at the latest when the watchdog gives up on the producer.
     */
    private CompletableFuture<Throwable> sendRecord(ProducerRecord<byte[], byte[]> record) {
        if (tx != null) {
            return sendInTransaction(record);
        }
        ProducerHandle handle = producer;
        CompletableFuture<Throwable> result = handle.send(record);
        if (!result.isDone()) {
            var watch = watch(() -> {
                if (!result.isDone()) {
                    recycle(handle, new org.apache.kafka.common.errors.TimeoutException("the broker did not answer a send to "
                            + record.topic() + " within " + stallAfter.toMillis() + " ms"));
                }
            });
            result.whenComplete((e, x) -> watch.cancel(false));
        }
        return result;
    }

    /** Runs the check once {@link #stallAfter} has passed (not at all once closing). */
    private java.util.concurrent.Future<?> watch(Runnable check) {
        try {
            return watchdog.schedule(check, stallAfter.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException closing) {
            return CompletableFuture.completedFuture(null);
        }
    }

    /** One producer instance; once replaced, whatever it still reports is the reason it was replaced. */
    private final class ProducerHandle {
        final Producer<byte[], byte[]> kafka;
        volatile Throwable replacedBecause;

        ProducerHandle(Producer<byte[], byte[]> kafka) {
            this.kafka = Objects.requireNonNull(kafka, "producer");
        }

        /** Completes with null once acknowledged, or with the error; never exceptionally. */
        CompletableFuture<Throwable> send(ProducerRecord<byte[], byte[]> record) {
            CompletableFuture<Throwable> result = new CompletableFuture<>();
            try {
                kafka.send(record, (metadata, error) -> {
                    Throwable replaced = replacedBecause;
                    result.complete(error == null ? null : replaced != null ? replaced : error);
                });
            } catch (RuntimeException e) {
                Throwable replaced = replacedBecause;
                result.complete(replaced != null ? replaced : e);
            }
            return result;
        }
    }

    /**
     * Replaces a producer that no longer settles its sends. An idempotent producer whose batch expired must
     * bump its epoch before it sends (or expires) anything else; while the broker is unreachable it cannot, so
     * its pending sends would wait for the broker however long it takes, and an accepted event would neither
     * be acknowledged nor reach the outbox. Closing it at once aborts what it holds (each send then fails with
     * {@code reason}, and its events go to, or stay in, the outbox) without any of it reaching the broker later
     * behind the outbox's back. A send the broker had already received but not answered may arrive twice.
     */
    private void recycle(ProducerHandle stale, Throwable reason) {
        ProducerHandle next;
        synchronized (lock) {
            if (producer != stale || closed) {
                return;
            }
            stale.replacedBecause = reason;
            try {
                next = new ProducerHandle(producers.get());
            } catch (RuntimeException e) {
                log.error("Could not create a new producer for {}; keeping the one that stopped answering", target, e);
                stale.replacedBecause = null;
                return;
            }
            producer = next;
        }
        log.warn("Replacing the producer of {}: {}; what it still held goes to the outbox", target, reason.getMessage());
        stale.kafka.close(Duration.ZERO);
    }

    // ---- transactions (DeliverySettings.transactionalId() present) --------------------------------------

    /** Under the lock: a direct batch, committed in one transaction on the transaction thread, in the order accepted. */
    private CompletableFuture<Void> submitTransaction(String source, List<Envelope> events) {
        List<Envelope> batch = List.copyOf(events);
        CompletableFuture<Void> done = new CompletableFuture<>();
        inflightDirect.addAndGet(batch.size());
        try {
            txThread.execute(() -> sendTransaction(source, batch, done));
        } catch (java.util.concurrent.RejectedExecutionException closing) {
            circuit.releasePermission();
            inflightDirect.addAndGet(-batch.size());
            return enqueueAppend(source, batch, clock.instant());
        }
        return done;
    }

    /**
     * On the transaction thread: commits the batch, or, if it cannot be committed now, puts all of it in the outbox
     * (the transaction is aborted, or fenced by the next producer, so none of it is visible to read_committed readers).
     * Once an earlier batch went to the outbox, so does this one, behind it.
     */
    private void sendTransaction(String source, List<Envelope> events, CompletableFuture<Void> done) {
        boolean divert;
        synchronized (lock) {
            divert = outboxMode || closed;
        }
        if (divert) {
            circuit.releasePermission();
            divertToOutbox(source, events, done);
            return;
        }
        long started = System.nanoTime();
        List<ProducerRecord<byte[], byte[]>> batch = new ArrayList<>(events.size());
        Throwable failure = null;
        for (Envelope event : events) {
            try {
                batch.add(DeliveryRecords.event(source, event, envelopeSerializer.serialize(target, event)));
            } catch (RuntimeException e) {
                failure = e; // the drainer sorts it out: dead letter, or later once the registry answers
                break;
            }
        }
        if (failure == null) {
            failure = tx.send(batch, stallAfter).failure();
        }
        long took = System.nanoTime() - started;
        if (failure == null) {
            circuit.onSuccess(took, TimeUnit.NANOSECONDS);
            metrics.delivered.increment(events.size());
            inflightDirect.addAndGet(-events.size());
            done.complete(null);
            signal();
            return;
        }
        circuit.onError(took, TimeUnit.NANOSECONDS, failure);
        log.debug("{} events of {} go to the outbox: {}", events.size(), source, failure.toString());
        divertToOutbox(source, events, done);
    }

    private void divertToOutbox(String source, List<Envelope> events, CompletableFuture<Void> done) {
        CompletableFuture<Void> appended;
        synchronized (lock) {
            appended = enqueueAppend(source, events, clock.instant());
        }
        appended.whenComplete((ok, error) -> {
            inflightDirect.addAndGet(-events.size());
            if (error != null) {
                done.completeExceptionally(error);
            } else {
                done.complete(null);
            }
            signal();
        });
    }

    /** One record (a dead letter) in a transaction of its own; completes with null once committed, or with the error. */
    private CompletableFuture<Throwable> sendInTransaction(ProducerRecord<byte[], byte[]> record) {
        CompletableFuture<Throwable> result = new CompletableFuture<>();
        try {
            txThread.execute(() -> {
                try {
                    result.complete(tx.send(List.of(record), stallAfter).failure());
                } catch (RuntimeException e) {
                    result.complete(e);
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException closing) {
            result.complete(unavailable("the delivery path to " + target + " is closed", null));
        }
        return result;
    }

    /** The drainer's attempt at a chunk, run on the transaction thread. */
    private boolean drainInTransaction(List<Draining> chunk) throws InterruptedException {
        java.util.concurrent.Future<Boolean> attempt;
        try {
            attempt = txThread.submit(() -> drainTransaction(chunk));
        } catch (java.util.concurrent.RejectedExecutionException closing) {
            return false;
        }
        try {
            return attempt.get();
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
    }

    /**
     * Sends every unfinished record of the chunk in one transaction: each event, or its dead letter (and alert) once
     * it is given up. Committed: all are settled. Otherwise none is; records the broker refused are classified
     * (permanent: dead letter next time; transient: retried up to {@code maxRetries}, then dead letter and alert).
     *
     * @return whether the chunk was committed or a record was given up
     */
    private boolean drainTransaction(List<Draining> chunk) {
        long started = System.nanoTime();
        List<ProducerRecord<byte[], byte[]>> batch = new ArrayList<>();
        List<Draining> owners = new ArrayList<>(); // per record of the batch; null for an alert
        boolean progress = false;
        for (Draining d : chunk) {
            if (d.done) {
                continue;
            }
            OutboxRecord r = d.entry.record();
            if (d.giveUp == null) {
                try {
                    if (d.event == null) {
                        d.event = codec.decode(r.payload());
                    }
                    d.wire = envelopeSerializer.serialize(target, d.event);
                    batch.add(DeliveryRecords.event(r.source(), d.event, d.wire));
                    owners.add(d);
                    continue;
                } catch (RuntimeException e) {
                    if (DeliveryFailures.classify(e) == FailureKind.UNREACHABLE) {
                        circuit.onError(System.nanoTime() - started, TimeUnit.NANOSECONDS, e);
                        return false; // e.g. the schema registry does not answer: the chunk waits
                    }
                    logPermanent(r.source(), d.event, e);
                    d.giveUp = e;
                    progress = true;
                }
            }
            batch.add(DeliveryRecords.deadLetter(r.source(), d.event, d.wire, r.payload(), d.giveUp, d.failures, r.enqueuedAt()));
            owners.add(d);
            if (d.failures > settings.maxRetries()) {
                try {
                    batch.add(records.alert(r.source(), d.event, d.giveUp, d.failures, settings.maxRetries(), r.enqueuedAt(),
                            clock.instant()));
                    owners.add(null);
                } catch (RuntimeException e) {
                    log.warn("Could not build the delivery alert for {}: {}", r.source(), e.toString());
                }
            }
        }
        if (batch.isEmpty()) {
            return progress;
        }
        TransactionalSends.Outcome outcome = tx.send(batch, stallAfter);
        long took = System.nanoTime() - started;
        if (outcome.committed()) {
            circuit.onSuccess(took, TimeUnit.NANOSECONDS);
            for (Draining d : owners) {
                if (d == null) {
                    continue;
                }
                d.done = true;
                if (d.giveUp == null) {
                    metrics.delivered.increment();
                } else if (d.failures > settings.maxRetries()) {
                    metrics.deadLetteredRetriesExhausted.increment();
                    logAlert(d.entry.record(), d, d.giveUp);
                } else {
                    metrics.deadLetteredPermanent.increment();
                }
            }
            return true;
        }
        Throwable unreachable = DeliveryFailures.classify(outcome.failure()) == FailureKind.UNREACHABLE ? outcome.failure() : null;
        for (int i = 0; i < owners.size(); i++) {
            Draining d = owners.get(i);
            Throwable error = outcome.errors().get(i);
            if (d == null || error == null || d.giveUp != null) {
                continue; // aborted along with the others, or its dead letter failed: the next attempt sends it again
            }
            OutboxRecord r = d.entry.record();
            switch (DeliveryFailures.classify(error)) {
                case PERMANENT -> {
                    logPermanent(r.source(), d.event, error);
                    d.giveUp = error;
                    progress = true;
                }
                case TRANSIENT -> {
                    d.failures++;
                    if (d.failures <= settings.maxRetries()) {
                        metrics.retries.increment();
                        log.debug("Event {} of {} failed ({} of {} retries): {}", d.event == null ? "?" : d.event.getEventId(),
                                r.source(), d.failures, settings.maxRetries(), error.toString());
                    } else {
                        d.giveUp = error;
                        progress = true;
                    }
                }
                case UNREACHABLE -> unreachable = error;
            }
        }
        if (unreachable != null) {
            circuit.onError(took, TimeUnit.NANOSECONDS, unreachable);
        } else {
            circuit.onSuccess(took, TimeUnit.NANOSECONDS);
        }
        return progress;
    }

    // ---- the outbox writer --------------------------------------------------------------------------

    private record AppendRequest(String source, List<Envelope> events, Instant firstFailure, CompletableFuture<Void> done) {
    }

    /** Wakes the writer when closing (never interrupt it: an interrupt closes the outbox's file channel). */
    private static final AppendRequest WAKE = new AppendRequest("", List.of(), Instant.EPOCH, new CompletableFuture<>());

    /** Under the lock: queues events for the outbox behind everything queued before. */
    private CompletableFuture<Void> enqueueAppend(String source, List<Envelope> events, Instant firstFailure) {
        outboxMode = true;
        AppendRequest request = new AppendRequest(source, List.copyOf(events), firstFailure, new CompletableFuture<>());
        if (writerStopped) {
            metrics.refused.increment(events.size());
            request.done().completeExceptionally(new DeliveryUnavailableException("the delivery path to " + target
                    + " is closed; " + events.size() + " events of " + source + " could not be kept"));
            return request.done();
        }
        pendingAppends++;
        appends.add(request);
        return request.done;
    }

    private void writeLoop() {
        List<AppendRequest> group = new ArrayList<>();
        while (true) {
            try {
                AppendRequest first = appends.poll(IDLE_WAIT_MS, TimeUnit.MILLISECONDS);
                if (first != null) {
                    group.add(first);
                    appends.drainTo(group, APPEND_GROUP - 1);
                    group.removeIf(r -> r == WAKE);
                }
                if (group.isEmpty()) {
                    if (writerStopping && stopWriterIfIdle()) {
                        return;
                    }
                    continue;
                }
                writeGroup(group);
            } catch (InterruptedException e) {
                log.warn("Outbox writer interrupted; it stops only when the delivery path closes");
            } catch (RuntimeException e) {
                log.error("Outbox writer failed; failing {} pending batches", group.size(), e);
                group.forEach(r -> r.done().completeExceptionally(unavailable("the outbox writer failed: " + e, e)));
            } finally {
                if (!group.isEmpty()) {
                    synchronized (lock) {
                        pendingAppends -= group.size();
                    }
                    group.clear();
                    signal();
                }
            }
        }
    }

    /** Closing: stops the writer once nothing is queued; later appends fail at once. */
    private boolean stopWriterIfIdle() {
        synchronized (lock) {
            if (appends.stream().allMatch(r -> r == WAKE)) {
                writerStopped = true;
                return true;
            }
            return false;
        }
    }

    /** Writes each request (all of its events or none), then one fsync for the group. */
    private void writeGroup(List<AppendRequest> group) {
        List<AppendRequest> written = new ArrayList<>();
        Map<AppendRequest, List<CompletableFuture<Throwable>>> invalid = new HashMap<>();
        int events = 0;
        for (AppendRequest r : group) {
            List<OutboxRecord> batch = new ArrayList<>(r.events().size());
            for (Envelope event : r.events()) {
                try {
                    batch.add(new OutboxRecord(r.source(), r.firstFailure(), codec.encode(event)));
                } catch (RuntimeException e) {
                    // It does not fit the schema: it can never be delivered, and the outbox cannot hold what it cannot read back.
                    logPermanent(r.source(), event, e);
                    invalid.computeIfAbsent(r, x -> new ArrayList<>()).add(
                            sendRecord(DeliveryRecords.deadLetter(r.source(), event, null, null, e, 0, r.firstFailure())));
                }
            }
            try {
                outbox.write(batch);
                written.add(r);
                events += batch.size();
            } catch (OutboxFullException e) {
                metrics.refused.increment(r.events().size());
                log.warn("Outbox full: refusing {} events of {} ({})", r.events().size(), r.source(), e.getMessage());
                r.done().completeExceptionally(unavailable(e.getMessage() + "; raise '"
                        + io.pulse.common.config.ConfigKeys.INGEST_OUTBOX_MAX_MB + "' ("
                        + (settings.outboxMaxBytes() >> 20) + " MiB) or bring the broker back", e));
            } catch (IOException | RuntimeException e) {
                metrics.refused.increment(r.events().size());
                log.error("Could not write {} events of {} to the outbox in {}", r.events().size(), r.source(), outbox.dir(), e);
                r.done().completeExceptionally(unavailable("could not write to the outbox in " + outbox.dir() + ": " + e, e));
            }
        }
        try {
            outbox.sync();
        } catch (IOException e) {
            log.error("Could not fsync the outbox in {}; failing {} batches", outbox.dir(), written.size(), e);
            written.forEach(r -> {
                metrics.refused.increment(r.events().size());
                r.done().completeExceptionally(unavailable("could not fsync the outbox in " + outbox.dir() + ": " + e, e));
            });
            return;
        }
        metrics.outboxed.increment(events);
        for (AppendRequest r : written) {
            List<CompletableFuture<Throwable>> dlq = invalid.getOrDefault(r, List.of());
            CompletableFuture.allOf(dlq.toArray(CompletableFuture[]::new)).thenRun(() -> {
                long failedDeadLetters = dlq.stream().filter(f -> f.join() != null).count();
                metrics.deadLetteredPermanent.increment(dlq.size() - failedDeadLetters);
                if (failedDeadLetters > 0) {
                    metrics.refused.increment(failedDeadLetters);
                    r.done().completeExceptionally(unavailable(failedDeadLetters + " events of the batch do not match the"
                            + " envelope schema and the dead-letter topic is unreachable", dlq.stream().map(CompletableFuture::join)
                            .filter(Objects::nonNull).findFirst().orElse(null)));
                } else {
                    r.done().complete(null);
                }
            });
        }
    }

    private static DeliveryUnavailableException unavailable(String message, Throwable cause) {
        return new DeliveryUnavailableException(message, cause);
    }

    // ---- the drainer ----------------------------------------------------------------------------------

    /** An outbox record on its way to the broker. */
    private static final class Draining {
        final OutboxEntry entry;
        Envelope event;
        int failures;
        boolean done;
        /** Transactions: its Confluent wire value, once serialized. */
        byte[] wire;
        /** Transactions: why it goes to the dead-letter topic instead (null: it goes to the events topic). */
        Throwable giveUp;

        Draining(OutboxEntry entry) {
            this.entry = entry;
        }
    }

    private void drainLoop() {
        List<Draining> chunk = new ArrayList<>();
        int attempt = 0;
        while (!stopping) {
            try {
                if (chunk.isEmpty()) {
                    List<OutboxEntry> entries = outbox.read(outbox.committed(), DRAIN_RECORDS, DRAIN_BYTES);
                    if (entries.isEmpty()) {
                        leaveOutboxModeIfDrained();
                        await(IDLE_WAIT_MS);
                        continue;
                    }
                    entries.forEach(e -> chunk.add(new Draining(e)));
                }
                if (!circuit.tryAcquirePermission()) {
                    await(Math.max(10, Math.min(IDLE_WAIT_MS, circuit.getState() == CircuitBreaker.State.OPEN
                            ? settings.circuitOpenDuration().toMillis() : IDLE_WAIT_MS)));
                    continue;
                }
                boolean progress = drainOnce(chunk);
                int delivered = 0;
                while (delivered < chunk.size() && chunk.get(delivered).done) {
                    delivered++;
                }
                if (delivered > 0) {
                    List<Draining> prefix = chunk.subList(0, delivered);
                    outbox.commit(prefix.stream().map(d -> d.entry).toList());
                    prefix.clear();
                }
                if (chunk.isEmpty()) {
                    attempt = 0;
                } else {
                    attempt = progress ? 1 : attempt + 1;
                    await(backoff.apply(attempt));
                }
            } catch (InterruptedException e) {
                if (stopping) {
                    return;
                }
            } catch (IOException | RuntimeException e) {
                // Keep the events; try again after a pause. (A damaged outbox file is refused at start, not here.)
                log.error("Outbox drainer of {} failed; retrying", outbox.dir(), e);
                chunk.clear();
                attempt++;
                try {
                    await(backoff.apply(attempt));
                } catch (InterruptedException ie) {
                    if (stopping) {
                        return;
                    }
                }
            }
        }
    }

    /**
     * Sends every unfinished record of the chunk once (one circuit call), and settles each: acknowledged,
     * dead-lettered, or left for the next attempt.
     *
     * @return whether any record was settled
     */
    private boolean drainOnce(List<Draining> chunk) throws InterruptedException {
        if (tx != null) {
            return drainInTransaction(chunk);
        }
        long started = System.nanoTime();
        ProducerHandle handle = producer;
        List<Draining> unfinished = chunk.stream().filter(d -> !d.done).toList();
        List<CompletableFuture<Throwable>> sends = new ArrayList<>(unfinished.size());
        List<byte[]> wires = new ArrayList<>(unfinished.size());
        for (Draining d : unfinished) {
            byte[] wire = null;
            CompletableFuture<Throwable> send;
            try {
                if (d.event == null) {
                    d.event = codec.decode(d.entry.record().payload());
                }
                wire = envelopeSerializer.serialize(target, d.event);
                send = handle.send(DeliveryRecords.event(d.entry.record().source(), d.event, wire));
            } catch (RuntimeException e) {
                send = CompletableFuture.completedFuture(e);
            }
            sends.add(send);
            wires.add(wire);
            Throwable immediate = send.getNow(null);
            if (immediate != null && DeliveryFailures.classify(immediate) == FailureKind.UNREACHABLE) {
                break; // no metadata within max.block.ms: every further send would block as long; try the rest later
            }
        }
        List<Draining> todo = unfinished.subList(0, sends.size());
        Throwable unreachable = null;
        boolean progress = false;
        for (int i = 0; i < todo.size(); i++) {
            Draining d = todo.get(i);
            Throwable error = await(sends.get(i), handle);
            OutboxRecord r = d.entry.record();
            if (error == null) {
                metrics.delivered.increment();
                d.done = progress = true;
                continue;
            }
            switch (DeliveryFailures.classify(error)) {
                case PERMANENT -> {
                    logPermanent(r.source(), d.event, error);
                    Throwable dlq = await(sendRecord(DeliveryRecords.deadLetter(r.source(), d.event, wires.get(i), r.payload(),
                            error, d.failures, r.enqueuedAt())));
                    if (dlq == null) {
                        metrics.deadLetteredPermanent.increment();
                        d.done = progress = true;
                    } else {
                        unreachable = dlq;
                    }
                }
                case TRANSIENT -> {
                    d.failures++;
                    if (d.failures <= settings.maxRetries()) {
                        metrics.retries.increment();
                        log.debug("Event {} of {} failed ({} of {} retries): {}", d.event == null ? "?" : d.event.getEventId(),
                                r.source(), d.failures, settings.maxRetries(), error.toString());
                    } else {
                        Throwable dlq = await(sendRecord(DeliveryRecords.deadLetter(r.source(), d.event, wires.get(i), r.payload(),
                                error, d.failures, r.enqueuedAt())));
                        if (dlq == null) {
                            metrics.deadLetteredRetriesExhausted.increment();
                            d.done = progress = true;
                            raiseAlert(r, d, error);
                        } else {
                            unreachable = dlq;
                        }
                    }
                }
                case UNREACHABLE -> unreachable = error;
            }
        }
        long took = System.nanoTime() - started;
        if (unreachable != null) {
            circuit.onError(took, TimeUnit.NANOSECONDS, unreachable);
        } else {
            circuit.onSuccess(took, TimeUnit.NANOSECONDS);
        }
        return progress;
    }

    private void raiseAlert(OutboxRecord r, Draining d, Throwable error) {
        logAlert(r, d, error);
        ProducerRecord<byte[], byte[]> alert;
        try {
            alert = records.alert(r.source(), d.event, error, d.failures, settings.maxRetries(), r.enqueuedAt(), clock.instant());
        } catch (RuntimeException e) {
            log.warn("Could not build the delivery alert for {}: {}", r.source(), e.toString());
            return;
        }
        sendRecord(alert).thenAccept(failure -> {
            if (failure != null) {
                log.warn("Could not publish the delivery alert to {}: {}", TopicCatalogue.ALERTS.name(), failure.toString());
            }
        });
    }

    private void logAlert(OutboxRecord r, Draining d, Throwable error) {
        metrics.alerts.increment();
        log.error("ALERT delivery: event {} of tenant {} from {} failed {} times (first at {}), last with {}: {}; sent to {}",
                d.event == null ? "?" : d.event.getEventId(), d.event == null ? "?" : d.event.getTenant(), r.source(),
                d.failures, r.enqueuedAt(), error.getClass().getName(), error.getMessage(), TopicCatalogue.DEAD_LETTERS.name());
    }

    /** The outcome of a send; if the producer does not settle it in time, the producer is replaced (which settles it). */
    private Throwable await(CompletableFuture<Throwable> send, ProducerHandle handle) throws InterruptedException {
        try {
            return send.get(stallAfter.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            recycle(handle, new org.apache.kafka.common.errors.TimeoutException("the broker did not answer the outbox's sends within "
                    + stallAfter.toMillis() + " ms"));
            return await(send);
        } catch (java.util.concurrent.ExecutionException e) {
            return e.getCause();
        }
    }

    /** The outcome of a send, waiting at most the producer's delivery timeout and margins. */
    private Throwable await(CompletableFuture<Throwable> send) throws InterruptedException {
        try {
            return send.get(sendTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            return e;
        } catch (java.util.concurrent.ExecutionException e) {
            return e.getCause();
        }
    }

    private void leaveOutboxModeIfDrained() {
        synchronized (lock) {
            if (outboxMode && pendingAppends == 0 && inflightDirect.get() == 0 && outbox.isEmpty()) {
                outboxMode = false;
                log.info("Outbox of {} drained; delivering directly again", target);
            }
        }
    }

    private void signal() {
        synchronized (wake) {
            wake.notifyAll();
        }
    }

    private void await(long millis) throws InterruptedException {
        synchronized (wake) {
            if (!stopping) {
                wake.wait(Math.max(1, millis));
            }
        }
    }

    // ---- lifecycle --------------------------------------------------------------------------------------

    /**
     * Stops taking events, stops the drainer (what it has not committed stays in the outbox), closes the
     * producer (direct sends still in flight after a short grace go to the outbox), writes what is queued
     * for the outbox, and closes it.
     */
    @Override
    public void close() {
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
        }
        stopping = true;
        drainer.interrupt();
        signal();
        join(drainer);
        watchdog.shutdownNow();
        Duration grace = Duration.ofMillis(Math.min(settings.deliveryTimeout().toMillis(), 10_000));
        if (tx != null) {
            // Transactions still queued run now; direct batches among them go to the outbox (closed).
            txThread.shutdown();
            try {
                if (!txThread.awaitTermination(sendTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    log.warn("Delivery transactions did not finish within {}", sendTimeout);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            tx.close(grace);
        } else {
            producer.kafka.close(grace);
        }
        callbacks.shutdown();
        try {
            if (!callbacks.awaitTermination(sendTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
                log.warn("Delivery callbacks did not finish within {}", sendTimeout);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        writerStopping = true;
        appends.add(WAKE);
        join(writer);
        metrics.close();
        outbox.close();
        completionThreads.shutdown();
        log.info("Delivery path to {} closed; {} events wait in the outbox {}", target, outbox.events(), outbox.dir());
    }

    private static void join(Thread t) {
        try {
            t.join(60_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }
}
