package io.pulse.ingest.http;

import io.pulse.common.config.TenantIds;
import io.pulse.ingest.delivery.SourceId;
import java.util.List;

/**
 * One HTTP source: its name (the source is {@code http/<name>}), the tenants its key may send events for,
 * and the hash of its key.
 */
public record SourceKey(String source, List<String> tenants, KeyHash hash) {
    public static final String KIND = "http";

    public SourceKey {
        new SourceId(KIND, source); // same name rule as every source id
        tenants = List.copyOf(tenants);
        if (tenants.isEmpty()) {
            throw new IllegalArgumentException("source '" + source + "' must be bound to at least one tenant");
        }
        for (String t : tenants) {
            if (!TenantIds.isValid(t)) {
                throw new IllegalArgumentException("source '" + source + "' has an invalid tenant '" + t + "' (" + TenantIds.RULE + ")");
            }
        }
        if (hash == null) {
            throw new IllegalArgumentException("source '" + source + "' needs a key hash");
        }
    }

    public SourceId id() {
        return new SourceId(KIND, source);
    }

    public boolean allows(String tenant) {
        return tenants.contains(tenant);
    }

    /** The tenant of events that do not name one: defined only when the key is bound to exactly one tenant. */
    public String soleTenant() {
        return tenants.size() == 1 ? tenants.get(0) : null;
    }
}
