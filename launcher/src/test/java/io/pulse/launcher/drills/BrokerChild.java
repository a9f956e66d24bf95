package io.pulse.launcher.drills;

import io.pulse.embedded.kafka.EmbeddedKafkaBroker;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * The embedded Kafka broker alone in its own JVM, for the drill that kills it with SIGKILL: a broker stopped in-process
 * shuts down cleanly (controlled shutdown, logs flushed), which is not the fault the drill is about. Arguments: the
 * data directory, the broker port and the controller port (fixed, so a restarted broker is where the clients look).
 */
public final class BrokerChild {
    /** Printed once the broker serves clients; the drill waits for it in the child's log. */
    static final String STARTED = "broker child started";

    private BrokerChild() {
    }

    public static void main(String[] args) throws InterruptedException {
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder(Path.of(args[0]))
                .brokerPort(Integer.parseInt(args[1]))
                .controllerPort(Integer.parseInt(args[2]))
                .build()
                .start();
        System.out.println(STARTED + " on " + broker.bootstrapServers());
        new CountDownLatch(1).await(); // until killed
    }
}
