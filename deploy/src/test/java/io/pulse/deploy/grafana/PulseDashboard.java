package io.pulse.deploy.grafana;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pulse.deploy.k8s.ProjectRoot;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** deploy/grafana/pulse-dashboard.json, parsed: its panels (rows' nested panels included) and their queries. */
record PulseDashboard(Path path, JsonNode json) {
    private static final Pattern LABEL_VALUES = Pattern.compile("label_values\\((.*),\\s*\\w+\\)");

    static PulseDashboard load() {
        Path path = ProjectRoot.get().resolve("deploy/grafana/pulse-dashboard.json");
        try {
            return new PulseDashboard(path, new ObjectMapper().readTree(path.toFile()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path, e);
        }
    }

    List<JsonNode> panels() {
        List<JsonNode> panels = new ArrayList<>();
        for (JsonNode p : json.path("panels")) {
            panels.add(p);
            p.path("panels").forEach(panels::add);
        }
        return panels;
    }

    /** Panels that show data (not rows). */
    List<JsonNode> dataPanels() {
        return panels().stream().filter(p -> !p.path("type").asText().equals("row")).toList();
    }

    List<String> expressions() {
        List<String> exprs = new ArrayList<>();
        for (JsonNode p : dataPanels()) {
            p.path("targets").forEach(t -> exprs.add(t.path("expr").asText()));
        }
        return exprs;
    }

    /** The metric names of every panel query and of every {@code label_values(metric, label)} variable query. */
    Set<String> metricNames() {
        Set<String> names = new TreeSet<>();
        expressions().forEach(e -> names.addAll(PromQlMetricNames.of(e)));
        for (JsonNode v : json.path("templating").path("list")) {
            Matcher m = LABEL_VALUES.matcher(v.path("query").path("query").asText(""));
            if (m.find()) {
                names.addAll(PromQlMetricNames.of(m.group(1)));
            }
        }
        return names;
    }
}
