package io.pulse.api.auth;

import io.javalin.http.Context;
import java.util.Objects;
import java.util.Optional;

/**
 * Who is calling, as proven by a verified bearer token. {@link AccessControl} puts it on every request to
 * {@code /api/**} that carries a valid token, under {@link #ATTRIBUTE}; handlers read it with {@link #of(Context)}.
 *
 * @param subject  the caller: Entra ID's {@code oid}, else {@code sub}
 * @param tenant   the retailer the caller belongs to (the configured tenant claim), if the token names one
 * @param admin    whether the token carries the admin app role in {@code roles}: may read every tenant
 * @param tokenId  the token's id ({@code jti}, or Entra ID's {@code uti}); "-" when it has none. Never the token itself
 * @param clientId the application that obtained the token ({@code azp}, or Entra ID v1's {@code appid}); "-" when absent
 */
public record Caller(String subject, Optional<String> tenant, boolean admin, String tokenId, String clientId) {
    /** The request attribute that holds the verified caller. */
    public static final String ATTRIBUTE = "pulse.caller";

    public Caller {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(tokenId, "tokenId");
        Objects.requireNonNull(clientId, "clientId");
    }

    /** Whether this caller may read {@code tenant}'s data: its own tenant, or any tenant for an admin. */
    public boolean mayRead(String tenant) {
        return admin || this.tenant.map(t -> t.equals(tenant)).orElse(false);
    }

    /** The verified caller of a request that passed access control; a 401 if there is none (a route outside it). */
    public static Caller of(Context ctx) {
        return find(ctx).orElseThrow(() -> ApiRejection.invalidToken("missing_token", "this route needs a bearer token"));
    }

    /** The verified caller, if access control verified one for this request. */
    public static Optional<Caller> find(Context ctx) {
        return Optional.ofNullable(ctx.attribute(ATTRIBUTE));
    }

    /** What the caller may read, for logs: {@code admin} or {@code tenant:<id>} ({@code none} for neither). */
    public String scope() {
        return admin ? "admin" : tenant.map(t -> "tenant:" + t).orElse("none");
    }
}
