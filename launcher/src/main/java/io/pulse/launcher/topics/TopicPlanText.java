package io.pulse.launcher.topics;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.pulse.topology.describe.PlannedGroup;
import io.pulse.topology.describe.PlannedTopic;
import io.pulse.topology.describe.TopicPlan;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The plan as a table for people and as JSON for tools; both in the plan's order, so the output is stable. */
public final class TopicPlanText {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private TopicPlanText() {
    }

    public static String table(TopicPlan plan) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"NAME", "KIND", "PARTITIONS", "CLEANUP", "RETENTION"});
        for (PlannedTopic t : plan.topics()) {
            rows.add(new String[] {t.name(), t.kind().id(), Integer.toString(t.partitions()), t.cleanupPolicy(), retention(t)});
        }
        int[] widths = new int[5];
        rows.forEach(r -> {
            for (int i = 0; i < r.length; i++) {
                widths[i] = Math.max(widths[i], r[i].length());
            }
        });
        StringBuilder b = new StringBuilder();
        for (String[] r : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < r.length; i++) {
                line.append(i == 2 ? pad(r[i], widths[i], true) : pad(r[i], widths[i], false)).append("  ");
            }
            b.append(line.toString().stripTrailing()).append('\n');
        }
        b.append('\n');
        for (PlannedGroup g : plan.groups()) {
            b.append("consumer group ").append(g.groupId()).append(" reads ").append(String.join(", ", g.topics())).append('\n');
        }
        b.append('\n').append(EventHubsBudget.of(plan).summary()).append('\n');
        return b.toString();
    }

    public static String json(TopicPlan plan) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("applicationId", plan.applicationId());
        root.put("topics", plan.topics().stream().map(TopicPlanText::topic).toList());
        root.put("consumerGroups", plan.groups().stream().map(g -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("groupId", g.groupId());
            m.put("topics", g.topics());
            m.put("description", g.description());
            return m;
        }).toList());
        EventHubsBudget budget = EventHubsBudget.of(plan);
        Map<String, Object> totals = new LinkedHashMap<>();
        totals.put("eventHubs", budget.eventHubs());
        totals.put("partitions", budget.partitions());
        totals.put("fitsEventHubsStandard", budget.fitsStandard());
        totals.put("eventHubsPremiumProcessingUnits", budget.premiumProcessingUnits());
        root.put("totals", totals);
        try {
            return JSON.writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the topic plan as JSON", e);
        }
    }

    private static Map<String, Object> topic(PlannedTopic t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", t.name());
        m.put("kind", t.kind().id());
        m.put("partitions", t.partitions());
        m.put("cleanupPolicy", t.cleanupPolicy());
        m.put("compacted", t.compacted());
        m.put("retentionMs", t.retentionMs().isPresent() ? t.retentionMs().getAsLong() : null);
        m.put("timestampType", t.timestampType());
        m.put("configs", t.configs());
        m.put("description", t.description());
        return m;
    }

    private static String retention(PlannedTopic t) {
        if (t.compacted() && !t.deletesByAge()) {
            return "latest per key";
        }
        if (t.retentionMs().isEmpty()) {
            return "broker default";
        }
        long ms = t.retentionMs().getAsLong();
        return ms < 0 ? "unlimited" : Duration.ofMillis(ms).toString().substring(2).toLowerCase(Locale.ROOT);
    }

    private static String pad(String s, int width, boolean right) {
        String fill = " ".repeat(width - s.length());
        return right ? fill + s : s + fill;
    }
}
