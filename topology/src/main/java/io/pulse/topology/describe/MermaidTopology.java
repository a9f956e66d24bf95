package io.pulse.topology.describe;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.streams.TopologyDescription;
import org.apache.kafka.streams.TopologyDescription.GlobalStore;
import org.apache.kafka.streams.TopologyDescription.Node;
import org.apache.kafka.streams.TopologyDescription.Processor;
import org.apache.kafka.streams.TopologyDescription.Sink;
import org.apache.kafka.streams.TopologyDescription.Source;
import org.apache.kafka.streams.TopologyDescription.Subtopology;

/**
 * Renders a {@link TopologyDescription} as a Mermaid flowchart (GitHub and most Markdown viewers draw it):
 * one box per sub-topology holding its processors, topics as parallelograms between the boxes (so a
 * repartition or output topic read again shows how sub-topologies connect), state stores as cylinders
 * joined to the processors that use them by dotted lines.
 *
 * <p>Pure and deterministic: the same description always gives the same text, node ids derived from names.
 */
public final class MermaidTopology {
    private static final Comparator<Node> BY_NAME = Comparator.comparing(Node::name);

    private final Map<String, String> ids = new HashMap<>();
    private final Set<String> usedIds = new LinkedHashSet<>();
    private final Map<String, String> topics = new LinkedHashMap<>();
    private final List<String> lines = new ArrayList<>();

    private MermaidTopology() {
    }

    /** The flowchart, starting with {@code flowchart LR}, one statement per line. */
    public static String render(TopologyDescription description) {
        return new MermaidTopology().draw(description);
    }

    private String draw(TopologyDescription description) {
        List<String> edges = new ArrayList<>();
        for (Subtopology sub : description.subtopologies()) {
            lines.add("  subgraph " + id("sub", "subtopology-" + sub.id()) + "[\"Sub-topology " + sub.id() + "\"]");
            Set<String> stores = new LinkedHashSet<>();
            for (Node node : sorted(sub.nodes())) {
                lines.add("    " + id("node", node.name()) + "[\"" + label(node.name()) + "\"]");
                if (node instanceof Processor p) {
                    stores.addAll(new TreeSet<>(p.stores()));
                }
            }
            for (String store : stores) {
                lines.add("    " + id("store", store) + "[(\"" + label(store) + "\")]");
            }
            lines.add("  end");
            for (Node node : sorted(sub.nodes())) {
                edges.addAll(edges(node));
            }
        }
        for (GlobalStore global : description.globalStores()) {
            lines.add("  subgraph " + id("sub", "global-store-" + global.id()) + "[\"Global store " + global.id() + "\"]");
            lines.add("    " + id("node", global.source().name()) + "[\"" + label(global.source().name()) + "\"]");
            lines.add("    " + id("node", global.processor().name()) + "[\"" + label(global.processor().name()) + "\"]");
            for (String store : new TreeSet<>(global.processor().stores())) {
                lines.add("    " + id("store", store) + "[(\"" + label(store) + "\")]");
            }
            lines.add("  end");
            edges.addAll(edges(global.source()));
            edges.addAll(edges(global.processor()));
        }

        StringBuilder out = new StringBuilder("flowchart LR\n");
        topics.forEach((name, id) -> out.append("  ").append(id).append("[/\"").append(label(name)).append("\"/]\n"));
        lines.forEach(l -> out.append(l).append('\n'));
        edges.forEach(e -> out.append("  ").append(e).append('\n'));
        return out.toString();
    }

    private List<String> edges(Node node) {
        List<String> edges = new ArrayList<>();
        String self = id("node", node.name());
        if (node instanceof Source source) {
            if (source.topicPattern() != null) {
                edges.add(topic("pattern " + source.topicPattern().pattern()) + " --> " + self);
            } else {
                for (String t : new TreeSet<>(source.topicSet())) {
                    edges.add(topic(t) + " --> " + self);
                }
            }
        }
        if (node instanceof Processor p) {
            for (String store : new TreeSet<>(p.stores())) {
                edges.add(self + " -.- " + id("store", store));
            }
        }
        for (Node next : sorted(node.successors())) {
            edges.add(self + " --> " + id("node", next.name()));
        }
        if (node instanceof Sink sink) {
            String target = sink.topic() != null ? sink.topic()
                    : "chosen per record by " + sink.topicNameExtractor().getClass().getSimpleName();
            edges.add(self + " --> " + topic(target));
        }
        return edges;
    }

    private String topic(String name) {
        return topics.computeIfAbsent(name, n -> id("topic", n));
    }

    /** A stable Mermaid id for a kind of thing and its name: letters, digits and underscores, unique. */
    private String id(String kind, String name) {
        return ids.computeIfAbsent(kind + ':' + name, key -> {
            String base = kind + "_" + name.replaceAll("[^A-Za-z0-9]", "_");
            String candidate = base;
            for (int n = 2; !usedIds.add(candidate); n++) {
                candidate = base + "_" + n;
            }
            return candidate;
        });
    }

    /** Text inside a quoted Mermaid label: double quotes become the entity Mermaid understands. */
    private static String label(String text) {
        return text.replace("\"", "#quot;");
    }

    private static List<Node> sorted(Set<Node> nodes) {
        return nodes.stream().sorted(BY_NAME).toList();
    }
}
