package io.pulse.ingest.generator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pulse.avro.Envelope;
import io.pulse.ingest.delivery.DeliveryStatus;
import io.pulse.ingest.delivery.EventDelivery;
import io.pulse.ingest.delivery.SourceId;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class GeneratorSourceTest {

    @Test
    void handsItsEventsToTheSharedDeliveryPathAsTheGeneratorSource() throws Exception {
        List<SourceId> sources = new CopyOnWriteArrayList<>();
        List<Envelope> delivered = new CopyOnWriteArrayList<>();
        EventDelivery delivery = new EventDelivery() {
            @Override
            public CompletableFuture<Void> deliver(SourceId source, List<Envelope> events) {
                sources.add(source);
                delivered.addAll(events);
                return CompletableFuture.completedFuture(null);
            }

            @Override
            public DeliveryStatus status() {
                return new DeliveryStatus("test", "CLOSED", 0, delivered.size(), 0);
            }

            @Override
            public void close() {
            }
        };
        TrafficMix traffic = new TrafficMix(new RetailTrafficGenerator(List.of("contoso"), 1), TrafficMix.Rates.NONE,
                Duration.ofMinutes(30), 1);
        GeneratorSource generator = new GeneratorSource(traffic, delivery, 1000, Clock.systemUTC());
        Thread running = new Thread(generator, "generator-under-test");
        running.start();

        await().atMost(Duration.ofSeconds(10)).until(() -> generator.published() >= 20);
        generator.close();
        running.join(5000);

        assertThat(running.isAlive()).isFalse();
        assertThat(sources).containsOnly(GeneratorSource.SOURCE_ID);
        assertThat(delivered).hasSizeGreaterThanOrEqualTo(20).allSatisfy(e -> assertThat(e.getTenant()).isEqualTo("contoso"));
        assertThat(generator.failed()).isZero();
    }
}
