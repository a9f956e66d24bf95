package io.pulse.ingest.http;

import io.pulse.avro.Envelope;
import io.pulse.ingest.json.EventFieldException;

/**
 * One event of a request as its format read it: an envelope, or the problem that stopped the reading.
 *
 * @param clientEventId the id the client gave the event, if it could be read (for the client's orientation)
 * @param tenant        the tenant the event is for, if it could be determined (for the authorization check)
 */
record MappedEvent(int index, String clientEventId, String tenant, Envelope envelope, EventFieldException problem) {

    static MappedEvent ok(int index, String clientEventId, Envelope envelope) {
        return new MappedEvent(index, clientEventId, envelope.getTenant(), envelope, null);
    }

    static MappedEvent failed(int index, String clientEventId, String tenant, EventFieldException problem) {
        return new MappedEvent(index, clientEventId, tenant, null, problem);
    }
}
