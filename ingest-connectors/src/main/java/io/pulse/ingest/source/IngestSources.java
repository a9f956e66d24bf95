package io.pulse.ingest.source;

import io.pulse.ingest.delivery.SourceId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The running sources of one process, for the admin endpoints (list, pause, resume). The launcher owns
 * one instance and registers every source it starts; thread-safe.
 */
public final class IngestSources {
    private final Map<SourceId, IngestSource> sources = new ConcurrentHashMap<>();

    /** Adds a source; a second source with the same id is refused. */
    public void register(IngestSource source) {
        IngestSource before = sources.putIfAbsent(source.id(), source);
        if (before != null && before != source) {
            throw new IllegalArgumentException("a source with id '" + source.id() + "' is already registered");
        }
    }

    public Optional<IngestSource> find(SourceId id) {
        return Optional.ofNullable(sources.get(id));
    }

    /** Every registered source, ordered by id. */
    public List<IngestSource> all() {
        List<IngestSource> list = new ArrayList<>(sources.values());
        list.sort(Comparator.comparing(s -> s.id().value()));
        return list;
    }
}
