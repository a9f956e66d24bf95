package io.pulse.deploy.docs;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulse.common.config.PulseConfig;
import io.pulse.common.kafka.DeadLetterHeaders;
import io.pulse.common.topics.TopicCatalogue;
import io.pulse.deploy.k8s.ProjectRoot;
import io.pulse.lake.LakeSink;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** docs/operations.md names what the code and the templates really use, and its links lead somewhere. */
class OperationsDocTest {
    private static final Path ROOT = ProjectRoot.get();
    private final String doc = read(ROOT.resolve("docs/operations.md"));

    @Test
    void namesEveryDeadLetterHeaderTheCodeWrites() throws Exception {
        List<String> headers = new ArrayList<>();
        for (Field f : DeadLetterHeaders.class.getFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class) {
                headers.add((String) f.get(null));
            }
        }
        assertThat(headers).isNotEmpty().allSatisfy(h -> assertThat(doc).as("dead-letter header %s", h).contains("`" + h + "`"));
    }

    @Test
    void namesTheTopicsGroupsAndPartitionsOfTheCode() {
        PulseConfig defaults = PulseConfig.load(Map.of(), Map.of(), Map.of());
        assertThat(doc).contains("`" + TopicCatalogue.DEAD_LETTERS.name() + "`", "`" + TopicCatalogue.REJECTS.name() + "`",
                "`" + TopicCatalogue.LATE_EVENTS.name() + "`", "--group " + LakeSink.GROUP_ID,
                "--application-id " + defaults.streams().applicationId(),
                "`TopicCatalogue.DEFAULT_PARTITIONS` = " + TopicCatalogue.DEFAULT_PARTITIONS);
    }

    @Test
    void listsOnlyOutputsMainBicepDeclares() {
        Matcher list = Pattern.compile("The deployment outputs what the overlay needs: (.*?)\\n\\(").matcher(doc.replace("\n`", " `"));
        assertThat(list.find()).as("the list of deployment outputs").isTrue();
        String main = read(ROOT.resolve("deploy/bicep/main.bicep"));
        Matcher name = Pattern.compile("`(\\w+)`").matcher(list.group(1));
        int n = 0;
        while (name.find()) {
            assertThat(main).as("output %s in main.bicep", name.group(1)).containsPattern("(?m)^output " + name.group(1) + " ");
            n++;
        }
        assertThat(n).isGreaterThanOrEqualTo(9);
    }

    @Test
    void everyRelativeLinkLeadsToAnExistingFileAndHeading() {
        Matcher link = Pattern.compile("\\]\\(([^)#:]+\\.md)(#[^)]+)?\\)").matcher(doc);
        int n = 0;
        while (link.find()) {
            Path target = ROOT.resolve("docs").resolve(link.group(1)).normalize();
            assertThat(target).as("link %s", link.group()).isRegularFile();
            if (link.group(2) != null) {
                List<String> anchors = read(target).lines().filter(l -> l.startsWith("#"))
                        .map(l -> "#" + slug(l.replaceFirst("^#+\\s*", ""))).toList();
                assertThat(anchors).as("heading %s in %s", link.group(2), target).contains(link.group(2));
            }
            n++;
        }
        assertThat(n).isGreaterThanOrEqualTo(5);
    }

    /** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens. */
    private static String slug(String heading) {
        return heading.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9 _-]", "").replace(' ', '-');
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot read " + p, e);
        }
    }
}
