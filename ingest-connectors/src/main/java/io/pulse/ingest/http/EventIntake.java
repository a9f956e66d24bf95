package io.pulse.ingest.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.pulse.avro.Envelope;
import io.pulse.common.envelope.EnvelopeRules;
import io.pulse.ingest.json.EventFieldException;
import io.pulse.ingest.json.JsonEventMapper;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Turns the events of one request into envelopes, all or nothing: if any event is for a tenant the key is
 * not bound to, the request is refused with 403; if any event cannot be read or breaks an envelope rule,
 * with 400 listing every such event. Only a request whose every event is valid yields envelopes, so a
 * client fixes what it was told and sends the same request again.
 */
final class EventIntake {
    private final int maxEventsPerRequest;
    private final Clock clock;

    EventIntake(int maxEventsPerRequest, Clock clock) {
        this.maxEventsPerRequest = maxEventsPerRequest;
        this.clock = clock;
    }

    List<Envelope> read(JsonNode document, EventFormat format, SourceKey key) {
        List<JsonNode> nodes = format.events(document);
        if (nodes.isEmpty()) {
            throw IngestHttpException.badRequest("the request holds no events");
        }
        if (nodes.size() > maxEventsPerRequest) {
            throw IngestHttpException.tooLarge("the request holds " + nodes.size() + " events, more than the limit of "
                    + maxEventsPerRequest + "; split it");
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        List<MappedEvent> mapped = new ArrayList<>(nodes.size());
        for (int i = 0; i < nodes.size(); i++) {
            mapped.add(format.map(i, nodes.get(i), key, now));
        }
        refuseForeignTenants(mapped, format, key);
        List<EventProblem> problems = new ArrayList<>();
        List<Envelope> envelopes = new ArrayList<>(mapped.size());
        for (MappedEvent m : mapped) {
            problem(m, format).ifPresentOrElse(problems::add, () -> envelopes.add(m.envelope()));
        }
        if (!problems.isEmpty()) {
            throw IngestHttpException.invalidEvents(problems.size() + " of " + mapped.size()
                    + " events are invalid; none was accepted: fix them and send the whole request again", problems);
        }
        envelopes.forEach(JsonEventMapper::scaleAmounts);
        return envelopes;
    }

    private static void refuseForeignTenants(List<MappedEvent> mapped, EventFormat format, SourceKey key) {
        List<EventProblem> foreign = new ArrayList<>();
        for (MappedEvent m : mapped) {
            if (m.tenant() != null && !key.allows(m.tenant())) {
                String field = format.field("tenant");
                foreign.add(new EventProblem(m.index(), m.clientEventId(), field, format.root(m.index()) + "." + field, "tenant.allowed",
                        "the key of source '" + key.source() + "' is not bound to tenant " + JsonFields.quote(m.tenant())
                                + " (it is bound to " + String.join(", ", key.tenants()) + ")"));
            }
        }
        if (!foreign.isEmpty()) {
            throw IngestHttpException.forbiddenEvents(foreign.size() + " of " + mapped.size()
                    + " events are for tenants this key is not bound to; none was accepted", foreign);
        }
    }

    private static Optional<EventProblem> problem(MappedEvent m, EventFormat format) {
        String root = format.root(m.index());
        if (m.problem() != null) {
            EventFieldException p = m.problem();
            boolean wholeEvent = p.field().isEmpty();
            return Optional.of(new EventProblem(m.index(), m.clientEventId(), wholeEvent ? null : p.field(),
                    wholeEvent ? root : root + "." + p.field(), p.rule(), p.getMessage()));
        }
        Envelope e = m.envelope();
        return EnvelopeRules.firstViolation(e.getTenant(), e).map(v -> {
            String field = format.field(v.field());
            return new EventProblem(m.index(), m.clientEventId(), field, root + "." + field, v.rule().id(), v.message());
        });
    }
}
