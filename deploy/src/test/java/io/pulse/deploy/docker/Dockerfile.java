package io.pulse.deploy.docker;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A Dockerfile read into its stages and instructions, enough to check it without a Docker engine: line
 * continuations and comments are handled, flags ({@code --from=build}) split off, exec-form (JSON) arguments
 * decoded, and {@code ENV} pairs unquoted.
 */
public record Dockerfile(Path file, List<Stage> stages) {
    /** One {@code FROM} and the instructions after it. */
    public record Stage(String image, Optional<String> name, List<Instruction> instructions) {
        public List<Instruction> all(String keyword) {
            return instructions.stream().filter(i -> i.keyword().equals(keyword)).toList();
        }

        public Optional<Instruction> last(String keyword) {
            List<Instruction> found = all(keyword);
            return found.isEmpty() ? Optional.empty() : Optional.of(found.get(found.size() - 1));
        }

        /** The environment the stage's ENV instructions set, later ones winning. */
        public Map<String, String> env() {
            Map<String, String> env = new LinkedHashMap<>();
            all("ENV").forEach(i -> env.putAll(pairs(i.arguments())));
            return env;
        }
    }

    /**
     * @param keyword   upper case
     * @param flags     {@code --name=value} options before the arguments
     * @param arguments the rest of the instruction, continuations joined
     */
    public record Instruction(int line, String keyword, Map<String, String> flags, String arguments) {
        /** Exec-form arguments ({@code ["java", "-jar", ...]}); fails on shell form. */
        public List<String> execForm() {
            try {
                return new ObjectMapper().readValue(arguments, new TypeReference<List<String>>() { });
            } catch (IOException e) {
                throw new IllegalArgumentException("line " + line + ": " + keyword + " is not in exec form (a JSON array): " + arguments);
            }
        }

        /** Whitespace-separated words, e.g. a COPY's sources and destination. */
        public List<String> words() {
            return List.of(arguments.trim().split("\\s+"));
        }
    }

    public static Dockerfile parse(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        List<Stage> stages = new ArrayList<>();
        List<Instruction> current = null;
        StringBuilder pending = new StringBuilder();
        int start = 0;
        for (int n = 0; n < lines.size(); n++) {
            String line = lines.get(n);
            if (pending.length() == 0 && (line.isBlank() || line.stripLeading().startsWith("#"))) {
                continue;
            }
            if (pending.length() > 0 && line.stripLeading().startsWith("#")) {
                continue; // a comment inside a continued instruction
            }
            if (pending.length() == 0) {
                start = n + 1;
            }
            if (line.endsWith("\\")) {
                pending.append(line, 0, line.length() - 1).append(' ');
                continue;
            }
            pending.append(line);
            Instruction instruction = instruction(start, pending.toString().trim(), file);
            pending.setLength(0);
            if (instruction.keyword().equals("FROM")) {
                List<String> words = instruction.words();
                Optional<String> name = words.size() == 3 && words.get(1).equalsIgnoreCase("AS") ? Optional.of(words.get(2)) : Optional.empty();
                current = new ArrayList<>();
                stages.add(new Stage(words.get(0), name, current));
            } else if (current == null) {
                throw new IllegalArgumentException(file + ":" + start + ": " + instruction.keyword() + " before the first FROM");
            } else {
                current.add(instruction);
            }
        }
        return new Dockerfile(file, List.copyOf(stages));
    }

    public Stage finalStage() {
        return stages.get(stages.size() - 1);
    }

    public Optional<Stage> stage(String name) {
        return stages.stream().filter(s -> s.name().equals(Optional.of(name))).findFirst();
    }

    private static Instruction instruction(int line, String text, Path file) {
        String[] head = text.split("\\s+", 2);
        String keyword = head[0].toUpperCase(java.util.Locale.ROOT);
        String rest = head.length > 1 ? head[1] : "";
        Map<String, String> flags = new LinkedHashMap<>();
        while (rest.startsWith("--")) {
            String[] flag = rest.split("\\s+", 2);
            int eq = flag[0].indexOf('=');
            if (eq < 0) {
                throw new IllegalArgumentException(file + ":" + line + ": flag without a value: " + flag[0]);
            }
            flags.put(flag[0].substring(2, eq), flag[0].substring(eq + 1));
            rest = flag.length > 1 ? flag[1] : "";
        }
        return new Instruction(line, keyword, flags, rest.trim());
    }

    /** {@code KEY=value KEY2="value with spaces"} as a map. */
    static Map<String, String> pairs(String arguments) {
        Map<String, String> pairs = new LinkedHashMap<>();
        int i = 0;
        while (i < arguments.length()) {
            while (i < arguments.length() && Character.isWhitespace(arguments.charAt(i))) {
                i++;
            }
            int eq = arguments.indexOf('=', i);
            if (i >= arguments.length()) {
                break;
            }
            if (eq < 0) {
                throw new IllegalArgumentException("ENV without '=': " + arguments.substring(i));
            }
            String key = arguments.substring(i, eq);
            StringBuilder value = new StringBuilder();
            i = eq + 1;
            boolean quoted = false;
            for (; i < arguments.length(); i++) {
                char c = arguments.charAt(i);
                if (c == '"') {
                    quoted = !quoted;
                } else if (!quoted && Character.isWhitespace(c)) {
                    break;
                } else {
                    value.append(c);
                }
            }
            pairs.put(key, value.toString());
        }
        return pairs;
    }
}
