package io.pulse.lake.store.adls;

import io.pulse.lake.store.adls.AdlsGen2TestServer.Operation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What {@link AdlsGen2TestServer} does wrong, and when: failed requests (with the status and error code
 * the service would send), responses held back longer than the client waits (after the operation was
 * applied, the worst case for a client that retries), and a competing writer that creates a rename's
 * destination just before the rename arrives. Rules match one operation or any; the first rule that
 * matches a request decides. Thread safe.
 */
public final class TestServerFaults {

    /** What happens to one request. */
    sealed interface Fault permits Fail, DelayAfterApplying {
    }

    /** Answered with an error, nothing applied. */
    record Fail(int status, String code) implements Fault {
    }

    /** Applied, then the response is held back. */
    record DelayAfterApplying(Duration delay) implements Fault {
    }

    private static final class Rule {
        final Operation operation; // null: any
        final Fault fault;
        final int period;
        final int burst;
        int remaining;
        long seen;

        Rule(Operation operation, Fault fault, int remaining, int period, int burst) {
            this.operation = operation;
            this.fault = fault;
            this.remaining = remaining;
            this.period = period;
            this.burst = burst;
        }

        boolean matches(Operation op) {
            return operation == null || operation == op;
        }

        /** Counts the request; whether the fault applies to it. */
        boolean fire() {
            if (period > 0) {
                return seen++ % period < burst;
            }
            if (remaining > 0) {
                remaining--;
                return true;
            }
            return false;
        }
    }

    /** A competing writer's file: {@code content} null copies the rename's source. */
    record Competitor(byte[] content) {
        boolean copiesSource() {
            return content == null;
        }
    }

    private final List<Competitor> competitors = new ArrayList<>();
    private final List<Rule> rules = new ArrayList<>();
    private int failuresInjected;
    private int delaysInjected;
    private int competitorsInjected;

    /** The next {@code count} requests of any operation fail with {@code status}. */
    public synchronized TestServerFaults failNext(int count, int status) {
        return add(new Rule(null, fail(status), count, 0, 0));
    }

    /** The next {@code count} requests of {@code operation} fail with {@code status}. */
    public synchronized TestServerFaults failNext(int count, Operation operation, int status) {
        return add(new Rule(operation, fail(status), count, 0, 0));
    }

    /** Every request of {@code operation} fails with {@code status} and the given error code (a permanent refusal). */
    public synchronized TestServerFaults failAlways(Operation operation, int status, String code) {
        return add(new Rule(operation, new Fail(status, code), Integer.MAX_VALUE, 0, 0));
    }

    /**
     * Of every {@code period} requests of {@code operation} (any if null), the first {@code burst} fail with
     * {@code status}: faults throughout a run.
     */
    public synchronized TestServerFaults failBursts(Operation operation, int period, int burst, int status) {
        return add(new Rule(operation, fail(status), 0, period, burst));
    }

    /** The next {@code count} requests of {@code operation} are applied, then answered only after {@code delay}. */
    public synchronized TestServerFaults delayNext(int count, Operation operation, Duration delay) {
        return add(new Rule(operation, new DelayAfterApplying(delay), count, 0, 0));
    }

    /** One of every {@code period} requests of {@code operation} is applied, then answered only after {@code delay}. */
    public synchronized TestServerFaults delayEvery(Operation operation, int period, Duration delay) {
        return add(new Rule(operation, new DelayAfterApplying(delay), 0, period, 1));
    }

    /** Just before the next rename is applied, a competitor creates its destination with {@code content}. */
    public synchronized TestServerFaults competeOnNextRename(byte[] content) {
        competitors.add(new Competitor(content.clone()));
        return this;
    }

    /**
     * Just before the next rename is applied, a competitor creates its destination with the source's
     * content: another writer committing the same batch under the same deterministic name.
     */
    public synchronized TestServerFaults competeOnNextRenameWithSameContent() {
        competitors.add(new Competitor(null));
        return this;
    }

    /** Back to a well-behaved server. */
    public synchronized void clear() {
        rules.clear();
        competitors.clear();
    }

    /** How many requests were failed so far. */
    public synchronized int failuresInjected() {
        return failuresInjected;
    }

    /** How many responses were held back so far. */
    public synchronized int delaysInjected() {
        return delaysInjected;
    }

    /** How many competing writers took a rename's destination so far. */
    public synchronized int competitorsInjected() {
        return competitorsInjected;
    }

    /** The fault of this request, if any (counting it against the rules). */
    synchronized Optional<Fault> next(Operation operation) {
        for (Rule rule : rules) {
            if (rule.matches(operation) && rule.fire()) {
                if (rule.fault instanceof Fail) {
                    failuresInjected++;
                } else {
                    delaysInjected++;
                }
                return Optional.of(rule.fault);
            }
        }
        return Optional.empty();
    }

    /** The competitor waiting for the next rename, if any. */
    synchronized Optional<Competitor> nextCompetitor() {
        if (competitors.isEmpty()) {
            return Optional.empty();
        }
        competitorsInjected++;
        return Optional.of(competitors.remove(0));
    }

    private TestServerFaults add(Rule rule) {
        rules.add(rule);
        return this;
    }

    static Fail fail(int status) {
        return new Fail(status, switch (status) {
            case 400 -> "InvalidInput";
            case 403 -> "AuthorizationPermissionMismatch";
            case 404 -> "PathNotFound";
            case 408 -> "RequestTimeout";
            case 409 -> "PathConflict";
            case 412 -> "ConditionNotMet";
            case 429 -> "TooManyRequests";
            case 500 -> "InternalError";
            case 502 -> "BadGateway";
            case 503 -> "ServerBusy";
            case 504 -> "GatewayTimeout";
            default -> "InjectedFault";
        });
    }
}
