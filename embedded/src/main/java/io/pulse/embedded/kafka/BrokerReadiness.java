package io.pulse.embedded.kafka;

import io.pulse.common.config.Durations;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.Node;

/**
 * Waits, with a deadline, until the broker serves clients: an admin client sees it as an unfenced broker
 * (describeCluster leaves fenced brokers out).
 */
final class BrokerReadiness {
    private static final Duration PAUSE_BETWEEN_ATTEMPTS = Duration.ofMillis(50);

    private BrokerReadiness() {
    }

    /**
     * @param deadline {@link System#nanoTime()} by which the broker must answer
     * @param timeout  the whole start-up budget, for the message
     */
    static void await(String bootstrapServers, long deadline, Duration timeout) {
        int timeoutMs = (int) Math.max(1, Math.min(Integer.MAX_VALUE, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
        Map<String, Object> config = Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.CLIENT_ID_CONFIG, "pulse-embedded-readiness",
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeoutMs,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, Math.min(timeoutMs, 5_000),
                AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 200);
        try (Admin admin = Admin.create(config)) {
            while (true) {
                long remainingMs = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (remainingMs <= 0) {
                    throw new EmbeddedBrokerException("the embedded Kafka broker at " + bootstrapServers
                            + " did not serve clients within " + Durations.format(timeout));
                }
                Collection<Node> nodes = admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) remainingMs))
                        .nodes().get(remainingMs, TimeUnit.MILLISECONDS);
                if (!nodes.isEmpty()) {
                    return;
                }
                // Registered but still fenced: ask again shortly, still bounded by the deadline above.
                LockSupport.parkNanos(PAUSE_BETWEEN_ATTEMPTS.toNanos());
            }
        } catch (ExecutionException | TimeoutException e) {
            throw new EmbeddedBrokerException("the embedded Kafka broker at " + bootstrapServers
                    + " did not serve clients within " + Durations.format(timeout) + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EmbeddedBrokerException("interrupted while waiting for the embedded Kafka broker at " + bootstrapServers, e);
        }
    }
}
