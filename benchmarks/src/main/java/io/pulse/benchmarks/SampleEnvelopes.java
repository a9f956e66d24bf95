package io.pulse.benchmarks;

import static io.pulse.common.testing.Envelopes.line;

import io.pulse.avro.Envelope;
import io.pulse.common.testing.Envelopes;
import java.util.ArrayList;
import java.util.List;

/** The envelopes the benchmarks encode, built with the stage tests' {@link Envelopes} builders. */
final class SampleEnvelopes {
    static final String TENANT = "contoso";

    private SampleEnvelopes() {
    }

    static Envelope pageView(int i) {
        return Envelopes.pageView(TENANT, time(i))
                .setCustomerId("c-" + (i % 5_000))
                .setSessionId("s-" + (i % 20_000))
                .build();
    }

    /** A purchase of three lines, priced in EUR, its total their exact sum. */
    static Envelope purchase(int i) {
        return Envelopes.purchase(TENANT, time(i),
                        line("sku-" + (1_000 + i % 300), 2, "19.99", "EUR"),
                        line("sku-" + (2_000 + i % 700), 1, "149.50", "EUR"),
                        line("sku-0007", 3, "4.25", "EUR"))
                .setCustomerId("c-" + (i % 5_000))
                .setSessionId("s-" + (i % 20_000))
                .build();
    }

    /** {@code n} envelopes of one hour's traffic: three page views to one purchase. */
    static List<Envelope> mix(int n) {
        List<Envelope> envelopes = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            envelopes.add(i % 4 == 3 ? purchase(i) : pageView(i));
        }
        return envelopes;
    }

    private static String time(int i) {
        return String.format("10:%02d:%02d", (i / 60) % 60, i % 60);
    }
}
