package io.pulse.api.limits;

import io.javalin.http.BadRequestResponse;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * The time range of a query ({@code ?from=&to=}, ISO-8601 instants), checked the same way on every route that
 * takes one: {@code to} defaults to now, {@code from} to {@code to} minus the route's default length,
 * {@code from} must not be after {@code to}, and the range may be at most the route's maximum ({@link #MAX}
 * unless the route's windows are coarser; never more than {@link #CEILING}). This bounds the work of one request.
 * Problems are 400s that name the parameter.
 *
 * @param from inclusive start
 * @param to   end
 */
public record QueryRange(Instant from, Instant to) {
    /** The longest range of routes over minute windows, and the default maximum. */
    public static final Duration MAX = Duration.ofHours(24);
    /** No route may allow a longer range than this. */
    public static final Duration CEILING = Duration.ofDays(31);
    /** The range when {@code from} is not given and the route names no default of its own. */
    public static final Duration DEFAULT_LENGTH = Duration.ofHours(1);

    /** The request's range: default the last {@link #DEFAULT_LENGTH}, at most {@link #MAX}. */
    public static QueryRange of(Context ctx, Clock clock) {
        return of(ctx, clock, DEFAULT_LENGTH, MAX);
    }

    /** The request's range: default the last {@code defaultLength}, at most {@code max}. */
    public static QueryRange of(Context ctx, Clock clock, Duration defaultLength, Duration max) {
        return parse(ctx.queryParam("from"), ctx.queryParam("to"), clock.instant(), defaultLength, max);
    }

    /**
     * The range given by the raw parameter values (null or blank when absent) at time {@code now}.
     *
     * @throws BadRequestResponse       when a value is not an instant, from is after to, or the range exceeds {@code max}
     * @throws IllegalArgumentException when the route's own limits are inconsistent (a programming error)
     */
    public static QueryRange parse(String from, String to, Instant now, Duration defaultLength, Duration max) {
        if (max.isNegative() || max.isZero() || max.compareTo(CEILING) > 0) {
            throw new IllegalArgumentException("a route's maximum range must be positive and at most " + CEILING + ", got " + max);
        }
        if (defaultLength.isNegative() || defaultLength.compareTo(max) > 0) {
            throw new IllegalArgumentException("a route's default range must be from 0 to its maximum " + max + ", got " + defaultLength);
        }
        Instant end = instant("to", to, now);
        Instant start = instant("from", from, end.minus(defaultLength));
        if (start.isAfter(end)) {
            throw new BadRequestResponse("'from' (" + start + ") must not be after 'to' (" + end + ")");
        }
        if (Duration.between(start, end).compareTo(max) > 0) {
            throw new BadRequestResponse("the range from 'from' to 'to' must be at most " + describe(max));
        }
        return new QueryRange(start, end);
    }

    /** How long the range is. */
    public Duration length() {
        return Duration.between(from, to);
    }

    private static String describe(Duration d) {
        return d.toHours() <= 48 ? d.toHours() + " hours" : d.toDays() + " days";
    }

    private static Instant instant(String name, String value, Instant fallback) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return Instant.parse(value.trim());
        } catch (DateTimeParseException e) {
            throw new BadRequestResponse("'" + name + "' must be an ISO-8601 instant such as 2026-11-21T10:00:00Z, got '"
                    + (value.length() > 64 ? value.substring(0, 64) + "..." : value) + "'");
        }
    }
}
