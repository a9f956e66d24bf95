package io.pulse.api.auth;

import java.util.Locale;

/**
 * What a request path is to the API's guards. Decided on the raw path with repeated slashes collapsed and
 * case ignored, so that no spelling of a path that a router might match escapes the guards.
 *
 * @param kind          which rule applies
 * @param tenantSegment for {@link Kind#TENANT}: the raw (undecoded) path segment after {@code /api/v1/tenants/}
 * @param stream        whether the path is a server-sent-events route (ends with {@code /stream}): it may carry the
 *                      token as {@code ?access_token=}
 */
public record ApiPath(Kind kind, String tenantSegment, boolean stream) {
    static final String TENANTS_PREFIX = "/api/v1/tenants/";
    /** The public routes under /api. */
    static final String OPENAPI = "/api/v1/openapi.json";

    /** The rules. */
    public enum Kind {
        /** Not the insights API (health, metrics, dashboard, static assets, ingest): the guards leave it alone. */
        NOT_API,
        /** Under /api but public (the OpenAPI document). */
        PUBLIC_API,
        /** {@code /api/v1/tenants/{tenant}/**}: a token for that tenant, or an admin token. */
        TENANT,
        /** Any other path under /api: an admin token (deny by default what is not tenant-scoped). */
        OTHER_API
    }

    /** Classifies {@code rawPath} (the request URI's path, as the router sees it). */
    public static ApiPath of(String rawPath) {
        String path = rawPath.replaceAll("/{2,}", "/");
        String lower = path.toLowerCase(Locale.ROOT);
        String trimmed = lower.endsWith("/") && lower.length() > 1 ? lower.substring(0, lower.length() - 1) : lower;
        if (!trimmed.equals("/api") && !trimmed.startsWith("/api/")) {
            return new ApiPath(Kind.NOT_API, null, false);
        }
        if (trimmed.equals(OPENAPI)) {
            return new ApiPath(Kind.PUBLIC_API, null, false);
        }
        boolean stream = trimmed.endsWith("/stream");
        if (lower.startsWith(TENANTS_PREFIX)) {
            String rest = path.substring(TENANTS_PREFIX.length());
            int slash = rest.indexOf('/');
            String segment = slash < 0 ? rest : rest.substring(0, slash);
            if (!segment.isEmpty()) {
                return new ApiPath(Kind.TENANT, segment, stream);
            }
        }
        return new ApiPath(Kind.OTHER_API, null, stream);
    }

    /** Whether a verified token is needed. */
    public boolean needsToken() {
        return kind == Kind.TENANT || kind == Kind.OTHER_API;
    }

    /** Whether the request size limit applies. */
    public boolean isApi() {
        return kind != Kind.NOT_API;
    }
}
