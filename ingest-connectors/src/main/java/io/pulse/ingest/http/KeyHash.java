package io.pulse.ingest.http;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The SHA-256 hash of an API key. Configuration holds hashes only, so a leaked configuration file does
 * not leak a key; a presented key is hashed and compared in constant time.
 */
public final class KeyHash {
    private static final Pattern HEX_64 = Pattern.compile("[0-9a-fA-F]{64}");
    private final byte[] sha256;

    private KeyHash(byte[] sha256) {
        this.sha256 = sha256;
    }

    /** The hash of a key, e.g. for tests and for printing the value an operator puts in configuration. */
    public static KeyHash of(String key) {
        return new KeyHash(digest(key));
    }

    /** Parses 64 hex digits, as written in configuration. */
    public static KeyHash fromHex(String hex) {
        if (hex == null || !HEX_64.matcher(hex).matches()) {
            throw new IllegalArgumentException("must be a SHA-256 hash in 64 hex digits");
        }
        return new KeyHash(HexFormat.of().parseHex(hex.toLowerCase(Locale.ROOT)));
    }

    public String hex() {
        return HexFormat.of().formatHex(sha256);
    }

    /** Whether {@code presented} hashes to this hash; the comparison time does not depend on where they differ. */
    boolean matches(byte[] presentedSha256) {
        return MessageDigest.isEqual(sha256, presentedSha256);
    }

    static byte[] digest(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KeyHash other && MessageDigest.isEqual(sha256, other.sha256);
    }

    @Override
    public int hashCode() {
        return java.util.Arrays.hashCode(sha256);
    }

    /** Short, so logs and config dumps never carry the whole hash. */
    @Override
    public String toString() {
        return "sha256:" + hex().substring(0, 8) + "…";
    }
}
