package io.pulse.deploy.grafana;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;

/** The metric names a Pulse process exposes on GET /metrics (Prometheus text format). */
final class PulseMetricsScrape {
    private PulseMetricsScrape() {
    }

    static String fetch(int port) throws IOException, InterruptedException {
        HttpResponse<String> r = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/metrics")).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("GET /metrics answered " + r.statusCode() + ": " + r.body());
        }
        return r.body();
    }

    /** Every sample's metric name: the text before '{' or the first space of each non-comment line. */
    static Set<String> names(String exposition) {
        Set<String> names = new TreeSet<>();
        for (String line : exposition.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int end = line.length();
            int brace = line.indexOf('{');
            int space = line.indexOf(' ');
            if (brace >= 0) {
                end = brace;
            } else if (space >= 0) {
                end = space;
            }
            names.add(line.substring(0, end));
        }
        return names;
    }
}
