package io.pulse.lake.mapping;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Turns a customer id into a stable key that cannot be traced back without the secret: HMAC-SHA256 of
 * the id under the lake's pseudonymisation key, as lower-case hex. The same id always gives the same key
 * (analysts can still count and join customers), a different key gives unrelated values.
 *
 * <p>Thread-safe: each thread gets its own {@link Mac}.
 */
public final class Pseudonymiser {
    private static final String ALGORITHM = "HmacSHA256";

    private final ThreadLocal<Mac> macs;

    public Pseudonymiser(String key) {
        if (key == null || key.isBlank()) {
            throw new IllegalArgumentException("the pseudonymisation key must not be empty");
        }
        SecretKeySpec secret = new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), ALGORITHM);
        newMac(secret); // fail at construction, not at the first event
        this.macs = ThreadLocal.withInitial(() -> newMac(secret));
    }

    /** The pseudonym of {@code customerId}: 64 lower-case hex digits. */
    public String pseudonymise(String customerId) {
        byte[] digest = macs.get().doFinal(customerId.getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(digest);
    }

    private static Mac newMac(SecretKeySpec secret) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(secret);
            return mac;
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("this JVM cannot compute " + ALGORITHM, e);
        }
    }

    @Override
    public String toString() {
        return "Pseudonymiser[" + ALGORITHM + ", key=***]";
    }
}
