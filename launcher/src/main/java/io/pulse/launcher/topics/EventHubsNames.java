package io.pulse.launcher.topics;

import java.util.regex.Pattern;

/**
 * Azure's naming rules for event hubs (1-256 characters) and their consumer groups (1-50): letters, digits, periods,
 * hyphens and underscores, starting and ending with a letter or digit. A topic that breaks them cannot be
 * provisioned on Event Hubs, so generation fails naming it rather than producing a template Azure rejects.
 */
final class EventHubsNames {
    private static final Pattern ALLOWED = Pattern.compile("[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?");

    private EventHubsNames() {
    }

    static String checkEventHub(String name) {
        return check(name, 256, "event hub");
    }

    static String checkConsumerGroup(String name) {
        return check(name, 50, "consumer group");
    }

    private static String check(String name, int maxLength, String what) {
        if (name.isEmpty() || name.length() > maxLength || !ALLOWED.matcher(name).matches()) {
            throw new IllegalArgumentException("'" + name + "' is not a valid " + what + " name on Event Hubs: use 1-" + maxLength
                    + " letters, digits, '.', '-' or '_', starting and ending with a letter or digit");
        }
        return name;
    }
}
