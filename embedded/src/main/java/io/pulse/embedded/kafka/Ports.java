package io.pulse.embedded.kafka;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** Chooses free loopback ports and checks that a configured one is free, naming the key that set it. */
final class Ports {
    private Ports() {
    }

    /**
     * A port for each request: the requested one, or a free one where 0 was asked for. All free ports are
     * held open until every one is chosen, so that two zeros never get the same port.
     */
    static int[] resolve(int... requested) {
        ServerSocket[] held = new ServerSocket[requested.length];
        int[] ports = requested.clone();
        try {
            for (int i = 0; i < ports.length; i++) {
                if (ports[i] == 0) {
                    held[i] = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                    ports[i] = held[i].getLocalPort();
                }
            }
            return ports;
        } catch (IOException e) {
            throw new EmbeddedBrokerException("could not find a free port on the loopback interface: " + e.getMessage(), e);
        } finally {
            for (ServerSocket s : held) {
                release(s);
            }
        }
    }

    /** Fails with a message naming the port and the configuration key when something already listens on it. */
    static void requireFree(int port, String configKey) {
        try (ServerSocket probe = new ServerSocket()) {
            probe.setReuseAddress(true); // as the broker does: a port in TIME_WAIT after our own stop is free
            probe.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
        } catch (IOException e) {
            throw new EmbeddedBrokerException("port " + port + " is already in use (" + configKey
                    + "): stop the process listening there or set " + configKey + " to another port (0 picks a free one)", e);
        }
    }

    private static void release(ServerSocket s) {
        if (s == null) {
            return;
        }
        try {
            s.close();
        } catch (IOException e) {
            // Closing a probe socket that never accepted anything cannot lose data; the port is what matters.
            throw new EmbeddedBrokerException("could not release probe port " + s.getLocalPort(), e);
        }
    }
}
