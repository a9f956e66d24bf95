package io.pulse.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every schema in {@code avro/} must stay BACKWARD compatible with its committed baseline in
 * {@code baseline/}: consumers built from today's schemas must read everything already on the topics
 * and in the lake. A deliberate incompatible change gets a new topic version and a new baseline.
 */
class SchemaEvolutionTest {
    /** Files whose named types others refer to, in the order one parser must see them. */
    private static final List<String> SHARED_FIRST = List.of("money.avsc", "line-item.avsc", "payloads.avsc", "envelope.avsc");

    static Stream<String> schemaFiles() {
        return files("avro").stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("schemaFiles")
    void everySchemaIsBackwardCompatibleWithItsBaseline(String file) {
        Map<String, List<Schema>> current = parseAll("avro");
        Map<String, List<Schema>> baseline = parseAll("baseline");
        assertThat(baseline).as("baseline/%s is missing: copy avro/%s to baseline/ when adding a schema", file, file)
                .containsKey(file);

        List<String> problems = backwardProblems(current.get(file), baseline.get(file));

        assertThat(problems).as("avro/%s cannot read data written with baseline/%s", file, file).isEmpty();
    }

    @Test
    void everySchemaFileHasABaseline() {
        assertThat(files("baseline"))
                .as("a new schema file needs its baseline copy in baseline/ (same name)")
                .containsAll(files("avro"));
    }

    @Test
    void everyBaselineStillHasItsSchema() {
        assertThat(files("avro"))
                .as("removing a schema orphans data written with it; retire its baseline only with its topics")
                .containsAll(files("baseline"));
    }

    @Test
    void theCheckReportsAFieldAddedWithoutDefault() {
        Schema baseline = parseAll("baseline").get("envelope.avsc").get(0);
        Schema changed = variant(baseline, "\"fields\":[", "\"fields\":[{\"name\":\"loyalty_tier\",\"type\":\"string\"},");

        assertThat(backwardProblems(List.of(changed), List.of(baseline)))
                .singleElement().asString().contains("READER_FIELD_MISSING_DEFAULT").contains("loyalty_tier");
    }

    @Test
    void theCheckReportsAChangedType() {
        Schema baseline = parseAll("baseline").get("windowed-metrics.avsc").get(0);
        Schema changed = variant(baseline, "{\"name\":\"events\",\"type\":\"long\"}", "{\"name\":\"events\",\"type\":\"int\"}");

        assertThat(backwardProblems(List.of(changed), List.of(baseline)))
                .singleElement().asString().contains("TYPE_MISMATCH").contains("INT").contains("LONG");
    }

    @Test
    void theCheckReportsARecordMissingFromTheCurrentFile() {
        List<Schema> payloads = parseAll("baseline").get("payloads.avsc");

        assertThat(backwardProblems(payloads.subList(0, payloads.size() - 1), payloads))
                .singleElement().asString().contains("io.pulse.avro.Purchase");
    }

    /**
     * Problems reading data of each baseline type with the current type of the same full name; a type
     * missing from the current file is a problem too.
     */
    static List<String> backwardProblems(List<Schema> current, List<Schema> baseline) {
        Map<String, Schema> currentByName = current.stream()
                .collect(Collectors.toMap(Schema::getFullName, s -> s, (a, b) -> a, LinkedHashMap::new));
        List<String> problems = new ArrayList<>();
        for (Schema writer : baseline) {
            Schema reader = currentByName.get(writer.getFullName());
            if (reader == null) {
                problems.add(writer.getFullName() + " is no longer declared");
                continue;
            }
            var result = SchemaCompatibility.checkReaderWriterCompatibility(reader, writer).getResult();
            if (result.getCompatibility() != SchemaCompatibilityType.COMPATIBLE) {
                result.getIncompatibilities().forEach(i -> problems.add(writer.getFullName() + ": " + i.getType()
                        + " at " + i.getLocation() + " (" + i.getMessage() + ")"));
            }
        }
        return problems;
    }

    /** Parses every file of a folder with one parser, shared types first; file name to the top-level types it declares. */
    static Map<String, List<Schema>> parseAll(String folder) {
        Path dir = folder(folder);
        List<String> order = new ArrayList<>(SHARED_FIRST);
        files(folder).stream().filter(f -> !SHARED_FIRST.contains(f)).forEach(order::add);
        Schema.Parser parser = new Schema.Parser();
        Map<String, List<Schema>> byFile = new LinkedHashMap<>();
        for (String file : order) {
            Path path = dir.resolve(file);
            if (!Files.exists(path)) {
                continue;
            }
            try {
                Schema parsed = parser.parse(path.toFile());
                byFile.put(file, parsed.getType() == Schema.Type.UNION ? parsed.getTypes() : List.of(parsed));
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read " + path, e);
            }
        }
        return byFile;
    }

    /** Names of the .avsc files in a classpath folder. */
    static Set<String> files(String folder) {
        try (Stream<Path> paths = Files.list(folder(folder))) {
            return paths.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".avsc"))
                    .collect(Collectors.toCollection(TreeSet::new));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list classpath folder " + folder, e);
        }
    }

    private static Path folder(String folder) {
        URL url = SchemaEvolutionTest.class.getClassLoader().getResource(folder);
        assertThat(url).as("classpath folder %s/ (the pom ships avro/ and baseline/)", folder).isNotNull();
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException("Unexpected classpath URL " + url, e);
        }
    }

    /** A standalone copy of {@code schema} with one textual change; fails if the text to change is absent. */
    private static Schema variant(Schema schema, String find, String replacement) {
        String json = schema.toString();
        assertThat(json).as("test fixture").contains(find);
        return new Schema.Parser().parse(json.replaceFirst(java.util.regex.Pattern.quote(find),
                java.util.regex.Matcher.quoteReplacement(replacement)));
    }
}
