package io.pulse.common.config;

import java.util.regex.Pattern;

/** What a tenant (retailer) id may look like: it becomes a lake directory name and a URL path segment. */
public final class TenantIds {
    public static final String RULE = "lower-case letters, digits and '-', 1 to 63 characters, starting with a letter";
    private static final Pattern VALID = Pattern.compile("[a-z][a-z0-9-]{0,62}");

    private TenantIds() {
    }

    public static boolean isValid(String tenant) {
        return tenant != null && VALID.matcher(tenant).matches();
    }
}
