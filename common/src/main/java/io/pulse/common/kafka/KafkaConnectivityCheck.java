package io.pulse.common.kafka;

import io.pulse.common.config.ConfigKeys;
import io.pulse.common.config.Durations;
import io.pulse.common.kafka.KafkaConnectivityException.Reason;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;

/**
 * Asks the cluster to describe itself once, at start-up, so that a wrong connection string, an untrusted
 * certificate or an unreachable broker fails fast with a message that says what to fix, instead of as
 * retries and timeouts deep inside a producer or Kafka Streams.
 */
public final class KafkaConnectivityCheck {
    /** Belt and braces: no message may carry a shared access key, whatever a cause's text contains. */
    private static final Pattern SHARED_ACCESS_KEY = Pattern.compile("(?i)(SharedAccessKey=)[^;\"\\s]+");
    /** Beyond the admin call's own timeout, how long to wait for its future before giving up on it. */
    private static final Duration GRACE = Duration.ofSeconds(1);

    private KafkaConnectivityCheck() {
    }

    /**
     * Returns when the cluster answered within {@code timeout}.
     *
     * @throws KafkaConnectivityException naming the problem (credentials, TLS trust, nothing answering) and the
     *                                    setting to check; never containing a secret
     */
    public static void verify(KafkaClientSettings settings, Duration timeout) {
        int timeoutMs = (int) Math.max(1, Math.min(Integer.MAX_VALUE - GRACE.toMillis(), timeout.toMillis()));
        Map<String, Object> config = settings.admin("pulse-connectivity-check");
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeoutMs);
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, timeoutMs);
        Admin admin;
        try {
            admin = Admin.create(config);
        } catch (RuntimeException e) { // configuration the client refuses, such as an unreadable trust store
            throw failure(settings, timeout, e);
        }
        try {
            admin.describeCluster(new DescribeClusterOptions().timeoutMs(timeoutMs))
                    .clusterId()
                    .get(timeoutMs + GRACE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw failure(settings, timeout, e.getCause());
        } catch (java.util.concurrent.TimeoutException e) {
            throw failure(settings, timeout, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaConnectivityException(Reason.OTHER,
                    "interrupted while checking the connection to Kafka at " + settings.bootstrapServers(), e);
        } finally {
            admin.close(Duration.ZERO); // do not wait for calls still retrying against an unreachable broker
        }
    }

    private static KafkaConnectivityException failure(KafkaClientSettings settings, Duration timeout, Throwable cause) {
        Reason reason = classify(cause);
        String message = switch (reason) {
            case AUTHENTICATION -> credentialsRejected(settings);
            case TLS -> "TLS handshake with " + settings.bootstrapServers() + " failed: the broker's certificate is not"
                    + " trusted or does not match its host name. Set " + ConfigKeys.KAFKA_TRUSTSTORE_LOCATION
                    + " (and " + ConfigKeys.KAFKA_TRUSTSTORE_PASSWORD + ") to a readable PKCS12 trust store holding the"
                    + " broker's CA certificate, or unset it to use the JVM's CAs (enough for Event Hubs)";
            case TIMEOUT -> "no Kafka broker answered at " + settings.bootstrapServers() + " within "
                    + Durations.format(timeout) + "; is it running? (" + ConfigKeys.KAFKA_BOOTSTRAP_SERVERS + ")";
            case OTHER -> "could not talk to Kafka at " + settings.bootstrapServers() + ": " + cause;
        };
        return new KafkaConnectivityException(reason, redact(message), cause);
    }

    private static String credentialsRejected(KafkaClientSettings settings) {
        return settings.eventHubsNamespace()
                .map(ns -> "Event Hubs namespace '" + ns + "' rejected the credentials in "
                        + ConfigKeys.EVENTHUBS_CONNECTION_STRING_ENV
                        + " (SASL PLAIN authentication failed): check SharedAccessKeyName and SharedAccessKey,"
                        + " and that the policy belongs to this namespace")
                .orElse("broker at " + settings.bootstrapServers() + " rejected the client's credentials"
                        + " (SASL authentication failed): check the user name and password the broker expects");
    }

    private static Reason classify(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SaslAuthenticationException) {
                return Reason.AUTHENTICATION;
            }
            if (t instanceof SslAuthenticationException || t instanceof SSLException
                    || (t.getMessage() != null && t.getMessage().contains("SSL"))) {
                return Reason.TLS;
            }
            if (t instanceof org.apache.kafka.common.errors.TimeoutException
                    || t instanceof java.util.concurrent.TimeoutException) {
                return Reason.TIMEOUT;
            }
        }
        return Reason.OTHER;
    }

    static String redact(String text) {
        return SHARED_ACCESS_KEY.matcher(text).replaceAll("$1***");
    }
}
