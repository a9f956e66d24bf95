package io.pulse.ingest.delivery;

/**
 * The state of the delivery path to one target (the events topic).
 *
 * @param circuit          CLOSED (delivering), OPEN (broker treated as down, events go to the outbox), HALF_OPEN (probing)
 * @param outboxEvents     events waiting in the local outbox
 * @param delivered        events acknowledged by the broker since start
 * @param deadLettered     events sent to the dead-letter topic since start
 */
public record DeliveryStatus(String target, String circuit, long outboxEvents, long delivered, long deadLettered) {
    public boolean online() {
        return "CLOSED".equals(circuit) && outboxEvents == 0;
    }
}
