package io.pulse.api.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class LiveHubTest {
    private static final Duration NO_WAIT = Duration.ZERO;

    @Test
    void sendsEachEventOnlyToTheClientsOfItsTenant() throws Exception {
        LiveHub hub = new LiveHub(8);
        LiveClient contoso = hub.connect("contoso", "a");
        LiveClient alsoContoso = hub.connect("contoso", "b");
        LiveClient fabrikam = hub.connect("fabrikam", "c");

        hub.publish(event("contoso", "1"));

        assertThat(contoso.next(NO_WAIT)).contains(event("contoso", "1"));
        assertThat(alsoContoso.next(NO_WAIT)).contains(event("contoso", "1"));
        assertThat(fabrikam.next(NO_WAIT)).isEmpty();
        assertThat(fabrikam.ended()).isEmpty();
    }

    @Test
    void dropsAClientThatFallsBehindWithoutHoldingUpTheOthers() throws Exception {
        LiveHub hub = new LiveHub(3);
        LiveClient slow = hub.connect("contoso", "slow");
        LiveClient fast = hub.connect("contoso", "fast");

        for (int i = 0; i < 10; i++) { // publish never waits: this loop would hang if it did
            hub.publish(event("contoso", Integer.toString(i)));
            assertThat(fast.next(NO_WAIT)).contains(event("contoso", Integer.toString(i)));
        }

        assertThat(slow.ended()).contains(LiveClient.EndReason.TOO_SLOW);
        assertThat(slow.next(NO_WAIT)).as("what was queued is dropped with the client").isEmpty();
        assertThat(fast.ended()).isEmpty();
        assertThat(hub.clientCount("contoso")).isEqualTo(1);
    }

    @Test
    void closingEndsEveryClientWaitsForItsSenderAndRefusesNewOnes() throws Exception {
        LiveHub hub = new LiveHub(4);
        LiveClient client = hub.connect("contoso", "a");
        AtomicBoolean senderFinished = new AtomicBoolean();
        Thread sender = new Thread(() -> { // as the stream route's sender does
            try {
                while (client.ended().isEmpty()) {
                    client.next(Duration.ofSeconds(1));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            senderFinished.set(true);
            hub.disconnect(client);
        });
        sender.start();

        hub.close();

        assertThat(senderFinished).as("close() returns once the sender has finished").isTrue();
        assertThat(client.ended()).contains(LiveClient.EndReason.CLOSED);
        assertThat(client.next(Duration.ofSeconds(5))).isEmpty(); // returns at once: the client has ended
        assertThat(hub.isClosed()).isTrue();
        assertThatThrownBy(() -> hub.connect("contoso", "b")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("shutting down");
        sender.join();
    }

    @Test
    void aDisconnectedClientGetsNothingMore() throws Exception {
        LiveHub hub = new LiveHub(4);
        LiveClient client = hub.connect("contoso", "a");
        hub.disconnect(client);

        hub.publish(event("contoso", "1"));

        assertThat(client.next(NO_WAIT)).isEqualTo(Optional.empty());
        assertThat(hub.clientCount("contoso")).isZero();
    }

    private static LiveEvent event(String tenant, String n) {
        return new LiveEvent(tenant, LiveEvent.METRICS, "{\"n\":" + n + "}");
    }
}
