package io.pulse.api.insights;

import io.javalin.http.BadRequestResponse;
import io.javalin.http.Context;
import io.pulse.api.limits.QueryRange;
import io.pulse.api.query.WindowSize;
import io.pulse.avro.Channel;
import io.pulse.common.config.TenantIds;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/** Reads and checks the parameters of the insights routes; every problem is a 400 that names the parameter. */
public final class RequestParams {
    private static final int MAX_ID_CHARS = 200;

    private RequestParams() {
    }

    /** The {@code {tenant}} path parameter, a valid tenant id. */
    public static String tenant(Context ctx) {
        String tenant = ctx.pathParam("tenant");
        if (!TenantIds.isValid(tenant)) {
            throw new BadRequestResponse("tenant '" + quoted(tenant) + "' is not a valid tenant id (" + TenantIds.RULE + ")");
        }
        return tenant;
    }

    /** {@code ?window=}, one of {@code allowed}; {@code fallback} when absent. */
    public static WindowSize window(Context ctx, WindowSize fallback, Set<WindowSize> allowed) {
        String value = ctx.queryParam("window");
        if (value == null || value.isBlank()) {
            return fallback;
        }
        return WindowSize.parse(value).filter(allowed::contains).orElseThrow(() -> new BadRequestResponse(
                "'window' must be one of " + allowed.stream().map(Enum::name).sorted().collect(Collectors.joining(", "))
                        + ", got '" + quoted(value) + "'"));
    }

    /** {@code ?from=&to=}: the one range check every route shares ({@link QueryRange}). */
    public static QueryRange range(Context ctx, Clock clock, Duration defaultLength, Duration max) {
        return QueryRange.of(ctx, clock, defaultLength, max);
    }

    /** {@code ?store=}: a store id, {@code -} for events that name none; null when absent. */
    public static String store(Context ctx) {
        String store = ctx.queryParam("store");
        if (store == null || store.isEmpty()) {
            return null;
        }
        if (store.length() > MAX_ID_CHARS) {
            throw new BadRequestResponse("'store' must be at most " + MAX_ID_CHARS + " characters");
        }
        return store;
    }

    /** {@code ?channel=}: WEB, APP, STORE or OTHER (case ignored); null when absent. */
    public static String channel(Context ctx) {
        String channel = ctx.queryParam("channel");
        if (channel == null || channel.isBlank()) {
            return null;
        }
        String upper = channel.trim().toUpperCase(Locale.ROOT);
        if (Arrays.stream(Channel.values()).noneMatch(c -> c.name().equals(upper))) {
            throw new BadRequestResponse("'channel' must be one of " + Arrays.toString(Channel.values()) + ", got '" + quoted(channel) + "'");
        }
        return upper;
    }

    /** {@code ?limit=}, from 1 to {@code max}; {@code fallback} when absent. */
    public static int limit(Context ctx, int fallback, int max) {
        String value = ctx.queryParam("limit");
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            int limit = Integer.parseInt(value.trim());
            if (limit >= 1 && limit <= max) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new BadRequestResponse("'limit' must be a whole number from 1 to " + max + ", got '" + quoted(value) + "'");
    }

    /** The {@code {customerId}} path parameter: 1 to 200 characters. */
    public static String customerId(Context ctx) {
        String id = ctx.pathParam("customerId");
        if (id.isBlank() || id.length() > MAX_ID_CHARS) {
            throw new BadRequestResponse("'customerId' must be 1 to " + MAX_ID_CHARS + " characters");
        }
        return id;
    }

    /** A caller's value, cut short: error messages echo what was sent, never an unbounded amount of it. */
    private static String quoted(String value) {
        return value.length() > 64 ? value.substring(0, 64) + "..." : value;
    }
}
