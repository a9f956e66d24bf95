package io.pulse.common.config;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses durations as people write them in configuration: ISO-8601 ({@code PT30S}) or short ({@code 30s}, {@code 5m}, {@code 250ms}). */
public final class Durations {
    private static final Pattern SHORT = Pattern.compile("(-?\\d+)\\s*(ms|s|m|h|d)");

    private Durations() {
    }

    public static Duration parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        Matcher m = SHORT.matcher(t);
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            return switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
        }
        try {
            return Duration.parse(text.trim().toUpperCase(Locale.ROOT));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("must be a duration such as 30s, 5m or PT30S");
        }
    }

    /** A duration above zero, for configuration values; the message says what was expected. */
    public static Duration positive(String text) {
        Duration d = parse(text);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException("must be a positive duration such as 30s, 5m or PT30S");
        }
        return d;
    }

    /** A duration of zero or more, for configuration values; the message says what was expected. */
    public static Duration nonNegative(String text) {
        Duration d = parse(text);
        if (d.isNegative()) {
            throw new IllegalArgumentException("must be a duration of zero or more, such as 0s, 30s or PT1M");
        }
        return d;
    }

    /** Short human form for logs and messages: 30s, 5m, 1h, 250ms. */
    public static String format(Duration d) {
        long ms = d.toMillis();
        if (ms % 3_600_000 == 0 && ms != 0) {
            return ms / 3_600_000 + "h";
        }
        if (ms % 60_000 == 0 && ms != 0) {
            return ms / 60_000 + "m";
        }
        if (ms % 1000 == 0) {
            return ms / 1000 + "s";
        }
        return ms + "ms";
    }
}
