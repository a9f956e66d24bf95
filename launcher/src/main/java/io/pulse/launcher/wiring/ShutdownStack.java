package io.pulse.launcher.wiring;

import java.util.ArrayDeque;
import java.util.Deque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What was started, closed in reverse order: what was started last (a producer of data) stops before what it
 * depends on. A close that fails is logged and the rest still close.
 */
final class ShutdownStack implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ShutdownStack.class);

    private final Deque<AutoCloseable> started = new ArrayDeque<>();

    /** Returns {@code c}, to be closed before everything pushed earlier. */
    synchronized <T extends AutoCloseable> T push(T c) {
        started.push(c);
        return c;
    }

    @Override
    public void close() {
        AutoCloseable c;
        while ((c = pop()) != null) {
            try {
                c.close();
            } catch (Exception e) {
                log.error("Error while stopping {}; continuing with the rest", c, e);
            }
        }
    }

    private synchronized AutoCloseable pop() {
        return started.poll();
    }
}
