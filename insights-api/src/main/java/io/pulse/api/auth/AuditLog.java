package io.pulse.api.auth;

import io.javalin.http.Context;
import io.javalin.http.RequestLogger;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who read what: one line per request to {@code /api} on logger {@code pulse.audit}, written when the request
 * ends: the caller (subject, tenant or admin, client, token id; "-" when no token was verified), the method,
 * path and query ({@code access_token} masked), the status, the refusal reason if any, and the time taken.
 * Tokens are never logged.
 */
public final class AuditLog implements RequestLogger {
    /** The audit logger's name. */
    public static final String LOGGER = "pulse.audit";
    private static final Logger audit = LoggerFactory.getLogger(LOGGER);
    private static final Pattern QUERY_TOKEN = Pattern.compile("(?i)(^|&)(access_token|id_token|token)=[^&]*");
    private static final int MAX_QUERY = 512;

    @Override
    public void handle(Context ctx, Float ms) {
        if (!ApiPath.of(ctx.path()).isApi()) {
            return;
        }
        Optional<Caller> caller = Caller.find(ctx);
        String reason = ctx.attribute(ApiRejection.REASON_ATTRIBUTE);
        audit.info("subject={} scope={} client={} jti={} method={} path={} query={} status={} reason={} ms={}",
                caller.map(c -> clean(c.subject())).orElse("-"),
                caller.map(c -> clean(c.scope())).orElse("-"),
                caller.map(c -> clean(c.clientId())).orElse("-"),
                caller.map(c -> clean(c.tokenId())).orElse("-"),
                ctx.method().name(),
                clean(ctx.path()),
                maskedQuery(ctx.queryString()),
                ctx.status().getCode(),
                reason == null ? "-" : reason,
                ms == null ? "-" : Math.round(ms));
    }

    /** The query string with token parameters masked, bounded, without control characters; "-" when empty. */
    static String maskedQuery(String query) {
        if (query == null || query.isEmpty()) {
            return "-";
        }
        String masked = QUERY_TOKEN.matcher(query).replaceAll("$1$2=***");
        return clean(masked.length() > MAX_QUERY ? masked.substring(0, MAX_QUERY) + "..." : masked);
    }

    /** No line breaks or other control characters from callers into the log; spaces become '+'. */
    private static String clean(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            b.append(c < 0x20 || c == 0x7f ? '?' : c == ' ' ? '+' : c);
        }
        return b.toString();
    }
}
