package io.pulse.lake.store.adls;

import com.azure.core.exception.ClientAuthenticationException;
import com.azure.core.exception.HttpResponseException;
import com.azure.core.http.HttpHeaderName;
import com.azure.core.http.HttpResponse;
import com.azure.storage.file.datalake.models.DataLakeStorageException;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.pulse.lake.store.LakeStoreException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ADLS store's retry policy, the only one in play (the SDK's own is off): an operation answered 408,
 * 429, 500, 502, 503 or 504, timed out, or cut off by a connection failure is tried again after
 * {@code retryBackoff}, doubled after each attempt and capped at {@value #MAX_BACKOFF_SECONDS}s, up to
 * {@code maxRetries} times. Anything else (403, 404, 409, 400...) fails at once.
 *
 * <p>Failures become a {@link LakeStoreException} naming the operation, the path, the HTTP status and the
 * {@code x-ms-error-code}, and for retried ones the number of attempts.
 */
final class AdlsRetry {
    static final Set<Integer> TRANSIENT_STATUSES = Set.of(408, 429, 500, 502, 503, 504);
    static final int MAX_BACKOFF_SECONDS = 30;
    private static final Logger log = LoggerFactory.getLogger(AdlsRetry.class);
    private static final HttpHeaderName ERROR_CODE = HttpHeaderName.fromString("x-ms-error-code");
    private static final Pattern SERVICE_MESSAGE = Pattern.compile("\"message\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");

    /**
     * One attempt of an operation. It is told its number (from 1) because an attempt after a timeout must
     * allow for the earlier one having been applied by the service without the answer getting back.
     */
    @FunctionalInterface
    interface Attempt<T> {
        T run(int attempt);
    }

    private final Retry retry;
    private final int maxAttempts;
    private final Duration requestTimeout;

    AdlsRetry(int maxRetries, Duration retryBackoff, Duration requestTimeout) {
        this.maxAttempts = maxRetries + 1;
        this.requestTimeout = requestTimeout;
        Duration cap = Duration.ofSeconds(MAX_BACKOFF_SECONDS);
        this.retry = Retry.of("adls-gen2", RetryConfig.custom()
                .maxAttempts(maxAttempts)
                .intervalFunction(IntervalFunction.ofExponentialBackoff(retryBackoff.compareTo(cap) > 0 ? cap : retryBackoff, 2.0, cap))
                .retryOnException(AdlsRetry::isTransient)
                .build());
    }

    /**
     * Runs {@code attempt} until it succeeds, fails permanently, or runs out of retries.
     *
     * @param operation what is done, for messages ("append to", "rename")
     * @param location  the full location of the path (account URL, file system, path)
     */
    <T> T call(String operation, String location, Attempt<T> attempt) {
        AtomicInteger attempts = new AtomicInteger();
        try {
            return retry.executeSupplier(() -> {
                int n = attempts.incrementAndGet();
                try {
                    return attempt.run(n);
                } catch (RuntimeException e) {
                    if (isTransient(e) && n < maxAttempts) {
                        // Handled here, so not a warning; the first retry of an operation is worth a line, the others only when debugging.
                        if (n == 1) {
                            log.info("ADLS Gen2 {} {} failed ({}); retrying up to {} times", operation, location, describe(e), maxAttempts - 1);
                        } else {
                            log.debug("ADLS Gen2 {} {} failed again ({}), attempt {} of {}", operation, location, describe(e), n, maxAttempts);
                        }
                    }
                    throw e;
                }
            });
        } catch (LakeStoreException e) {
            throw e;
        } catch (RuntimeException e) {
            throw failure(operation, location, e, attempts.get());
        }
    }

    private LakeStoreException failure(String operation, String location, RuntimeException e, int attempts) {
        if (isTransient(e)) {
            return new LakeStoreException("ADLS Gen2 " + operation + " " + location + " failed after " + attempts + " attempts ("
                    + (attempts - 1) + " retries with backoff); the last: " + describe(e), e);
        }
        return new LakeStoreException("ADLS Gen2 " + operation + " " + location + " failed: " + describe(e), e);
    }

    /** "HTTP 503 ServerBusy: <service message>", "timed out after 30000ms (...)", "connection failed (...)". */
    String describe(Throwable e) {
        Optional<HttpResponseException> http = httpFailure(e);
        if (http.isPresent()) {
            String code = errorCodeOf(http.get());
            String message = serviceMessage(http.get().getMessage());
            return "HTTP " + statusOf(http.get()) + (code == null ? "" : " " + code) + (message.isEmpty() ? "" : ": " + message);
        }
        if (isTimeout(e)) {
            return "timed out after " + requestTimeout.toMillis() + "ms (" + rootCause(e) + ")";
        }
        if (isConnectionFailure(e)) {
            return "connection failed (" + rootCause(e) + ")";
        }
        return e.toString();
    }

    /**
     * The first line of the service's own message: the SDK's exception message is "Status code 503, "<body>""
     * with the dfs error body {"error":{"code":"...","message":"...\nRequestId:...\nTime:..."}}.
     */
    static String serviceMessage(String sdkMessage) {
        if (sdkMessage == null) {
            return "";
        }
        Matcher m = SERVICE_MESSAGE.matcher(sdkMessage);
        String message = m.find() ? m.group(1).replace("\\n", "\n").replace("\\\"", "\"") : sdkMessage;
        String first = message.lines().findFirst().orElse("").trim();
        return first.length() > 300 ? first.substring(0, 300) + "..." : first;
    }

    static boolean isTransient(Throwable e) {
        if (causeOfType(e, ClientAuthenticationException.class).isPresent()) {
            return false; // no token (DefaultAzureCredential found no identity): retrying will not help
        }
        Optional<HttpResponseException> http = httpFailure(e);
        if (http.isPresent()) {
            return TRANSIENT_STATUSES.contains(statusOf(http.get()));
        }
        return isTimeout(e) || isConnectionFailure(e);
    }

    /** The service's answer, if the failure is one (a status and usually an x-ms-error-code). */
    static Optional<HttpResponseException> httpFailure(Throwable e) {
        return causeOfType(e, HttpResponseException.class).filter(h -> h.getResponse() != null);
    }

    static int statusOf(HttpResponseException e) {
        HttpResponse response = e.getResponse();
        return response == null ? -1 : response.getStatusCode();
    }

    static String errorCodeOf(HttpResponseException e) {
        if (e instanceof DataLakeStorageException d && d.getErrorCode() != null) {
            return d.getErrorCode();
        }
        return e.getResponse() == null ? null : e.getResponse().getHeaderValue(ERROR_CODE);
    }

    private static boolean isTimeout(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            // Netty's ReadTimeoutException and friends are not TimeoutExceptions; their names say what they are.
            if (t instanceof TimeoutException || t instanceof SocketTimeoutException || t.getClass().getSimpleName().contains("Timeout")) {
                return true;
            }
        }
        return false;
    }

    private static boolean isConnectionFailure(Throwable e) {
        return causeOfType(e, IOException.class).isPresent() || causeOfType(e, UncheckedIOException.class).isPresent();
    }

    private static <X extends Throwable> Optional<X> causeOfType(Throwable e, Class<X> type) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return Optional.of(type.cast(t));
            }
        }
        return Optional.empty();
    }

    private static String rootCause(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
    }
}
