package io.pulse.deploy.grafana;

import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The metric names a PromQL expression reads. Removes what is not a metric name (strings, label matchers
 * {@code {...}}, ranges {@code [...]}, label lists after {@code by}/{@code without}/{@code on}/{@code ignoring}/
 * {@code group_left}/{@code group_right}, Grafana variables, numbers), then keeps identifiers that are not
 * functions (followed by '(') and not PromQL keywords.
 */
final class PromQlMetricNames {
    private static final Set<String> KEYWORDS = Set.of("by", "without", "on", "ignoring", "group_left", "group_right", "bool",
            "and", "or", "unless", "offset", "inf", "nan");
    private static final Pattern STRINGS = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'");
    private static final Pattern LABEL_LISTS = Pattern.compile("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
    private static final Pattern IDENT = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");

    private PromQlMetricNames() {
    }

    static Set<String> of(String expr) {
        String s = STRINGS.matcher(expr).replaceAll(" ");
        s = s.replaceAll("\\{[^}]*}", " ").replaceAll("\\[[^]]*]", " ");
        s = LABEL_LISTS.matcher(s).replaceAll(" ");
        s = s.replaceAll("\\$\\{?[a-zA-Z_][a-zA-Z0-9_]*(:[a-z]+)?}?", " ");
        s = s.replaceAll("\\b\\d[\\w.]*", " "); // numbers and durations (5m, 1e3)
        Set<String> names = new TreeSet<>();
        Matcher m = IDENT.matcher(s);
        while (m.find()) {
            String rest = s.substring(m.end()).stripLeading();
            boolean function = rest.startsWith("(");
            if (!function && !KEYWORDS.contains(m.group().toLowerCase(java.util.Locale.ROOT))) {
                names.add(m.group());
            }
        }
        return names;
    }
}
