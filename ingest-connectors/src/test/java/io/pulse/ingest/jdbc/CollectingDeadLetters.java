package io.pulse.ingest.jdbc;

import io.pulse.ingest.delivery.DeadLetter;
import io.pulse.ingest.delivery.DeadLetters;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/** Keeps dead letters in memory. */
final class CollectingDeadLetters implements DeadLetters {
    private final List<DeadLetter> letters = new CopyOnWriteArrayList<>();

    @Override
    public CompletableFuture<Void> send(DeadLetter letter) {
        letters.add(letter);
        return CompletableFuture.completedFuture(null);
    }

    List<DeadLetter> letters() {
        return List.copyOf(letters);
    }
}
