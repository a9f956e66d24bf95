package io.pulse.api.auth;

import io.javalin.http.Context;
import io.javalin.http.Handler;

/**
 * The before-handler in front of the whole insights API. On every path under {@code /api} except the
 * OpenAPI document it needs a bearer token ({@code Authorization: Bearer}, or {@code ?access_token=} on
 * {@code /stream} routes only, as EventSource cannot send headers), verifies it and puts the {@link Caller}
 * on the request. Then it authorizes: {@code /api/v1/tenants/{tenant}/**} is for that tenant's tokens and
 * admins (the tenant comes from the token; the path only says what is asked for); any other /api path is for
 * admins only. It matches paths itself, so routes added later are covered without doing anything.
 */
public final class AccessControl implements Handler {
    static final String QUERY_TOKEN = "access_token";
    private static final String BEARER = "bearer ";

    private final TokenVerifier verifier;

    public AccessControl(TokenVerifier verifier) {
        this.verifier = verifier;
    }

    @Override
    public void handle(Context ctx) {
        ApiPath path = ApiPath.of(ctx.path());
        if (!path.needsToken()) {
            return;
        }
        Caller caller = verifier.verify(token(ctx, path));
        ctx.attribute(Caller.ATTRIBUTE, caller); // also for the audit line of a refused request
        if (path.kind() == ApiPath.Kind.TENANT) {
            if (!caller.mayRead(path.tenantSegment())) {
                throw ApiRejection.forbidden("wrong_tenant", caller.tenant()
                        .map(t -> "this token is for tenant '" + t + "' and may not read another tenant's data")
                        .orElse("this token names no tenant (claim missing) and has no admin role"));
            }
        } else if (!caller.admin()) {
            throw ApiRejection.forbidden("admin_only", "only the admin role may call API routes outside /api/v1/tenants/{tenant}");
        }
    }

    private static String token(Context ctx, ApiPath path) {
        String header = ctx.header("Authorization");
        String query = ctx.queryParam(QUERY_TOKEN);
        if (query != null && !path.stream()) {
            throw ApiRejection.invalidToken("token_in_query", "access_token in the query is accepted only on /stream routes;"
                    + " send Authorization: Bearer <token>");
        }
        if (header != null && query != null) {
            throw ApiRejection.badRequest("token_twice", "send the token either as Authorization: Bearer or as access_token, not both");
        }
        if (header != null) {
            if (header.length() <= BEARER.length() || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
                throw ApiRejection.invalidToken("missing_token", "the Authorization header must be 'Bearer <token>'");
            }
            return header.substring(BEARER.length()).trim();
        }
        if (query != null && !query.isBlank()) {
            return query.trim();
        }
        throw ApiRejection.invalidToken("missing_token", "no bearer token: send Authorization: Bearer <token>"
                + (path.stream() ? " or ?access_token=<token>" : ""));
    }
}
