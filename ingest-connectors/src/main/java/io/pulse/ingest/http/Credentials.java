package io.pulse.ingest.http;

import io.javalin.http.Context;
import java.util.List;
import java.util.Optional;

/**
 * Finds who sent a request from its {@code X-Api-Key}: the key is hashed once and compared with every
 * configured hash in constant time, with no early exit, so timing tells nothing about which key is close.
 */
final class Credentials {
    private final List<HttpSource> sources;
    private final Optional<KeyHash> adminKey;

    Credentials(List<HttpSource> sources, Optional<KeyHash> adminKey) {
        this.sources = List.copyOf(sources);
        this.adminKey = adminKey;
    }

    /** The source whose key the request carries; 401 without a key, 403 with a key no source has. */
    HttpSource source(Context ctx) {
        byte[] presented = KeyHash.digest(presentedKey(ctx));
        HttpSource found = null;
        for (HttpSource s : sources) {
            if (s.key().hash().matches(presented) & found == null) {
                found = s;
            }
        }
        if (found == null) {
            throw IngestHttpException.forbidden("the key in '" + IngestController.KEY_HEADER + "' is not a source's key");
        }
        return found;
    }

    /** Passes requests that carry the admin key; 401 without a key, 403 with another key or when no admin key is configured. */
    void admin(Context ctx) {
        byte[] presented = KeyHash.digest(presentedKey(ctx));
        if (adminKey.isEmpty()) {
            throw IngestHttpException.forbidden("the admin endpoints are disabled: no admin key is configured ('"
                    + IngestHttpSettings.ADMIN_KEY_SHA256 + "')");
        }
        if (!adminKey.get().matches(presented)) {
            throw IngestHttpException.forbidden("the key in '" + IngestController.KEY_HEADER + "' is not the admin key");
        }
    }

    private static String presentedKey(Context ctx) {
        String key = ctx.header(IngestController.KEY_HEADER);
        if (key == null || key.isBlank()) {
            throw IngestHttpException.missingCredential("a key is required in the '" + IngestController.KEY_HEADER + "' header");
        }
        return key.trim();
    }
}
