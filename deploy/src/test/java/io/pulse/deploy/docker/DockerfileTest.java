package io.pulse.deploy.docker;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ContainerPort;
import io.pulse.deploy.k8s.Manifests;
import io.pulse.deploy.k8s.ProjectRoot;
import io.pulse.launcher.PulseCommand;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The image, checked without a Docker engine: its instructions are parsed and what they copy is looked up in the
 * launcher's real build output (the deploy module depends on the launcher, so it is built first).
 */
class DockerfileTest {
    private final Dockerfile dockerfile = DockerImage.dockerfile();
    private final Path root = ProjectRoot.get();

    @Test
    void buildsWithTheMavenWrapperOnAJdkAndRunsOnAJre() {
        assertThat(dockerfile.stages()).hasSize(2);
        Dockerfile.Stage build = dockerfile.stages().get(0);
        assertThat(build.image()).isEqualTo("eclipse-temurin:17-jdk");
        assertThat(build.name()).hasValue("build");
        assertThat(build.all("RUN")).anySatisfy(run -> assertThat(run.arguments())
                .contains("./mvnw -B -DskipTests package -pl launcher -am"));
        assertThat(dockerfile.finalStage().image()).isEqualTo("eclipse-temurin:17-jre");
        assertThat(dockerfile.finalStage().all("RUN")).noneMatch(r -> r.arguments().contains("mvn"));
    }

    @Test
    void buildContextKeepsWhatTheWrapperBuildNeedsAndDropsBuildOutput() throws IOException {
        List<String> ignored = Files.readAllLines(root.resolve(".dockerignore")).stream()
                .map(String::trim).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        for (String needed : List.of("mvnw", ".mvn/wrapper/maven-wrapper.properties", "pom.xml", "launcher/pom.xml", "build-support/logback-test.xml")) {
            assertThat(Files.exists(root.resolve(needed))).as(needed + " exists").isTrue();
            assertThat(ignored).as(needed + " is in the build context").noneMatch(p -> matches(p, needed));
        }
        assertThat(ignored).as("launcher/target is not sent to the builder").anyMatch(p -> matches(p, "launcher/target"));
    }

    @Test
    void finalStageRunsAsANumericNonRootUser() {
        assertThat(DockerImage.userId()).isPositive();
        assertThat(dockerfile.finalStage().last("USER").orElseThrow().arguments()).matches("\\d+(:\\d+)?");
    }

    /** What COPY --from takes from the build stage is what the launcher's build produces. */
    @Test
    void copiedArtifactsExistInTheLauncherBuildOutput() throws IOException {
        Dockerfile.Stage build = dockerfile.stage("build").orElseThrow();
        String buildDir = build.last("WORKDIR").orElseThrow().arguments();
        List<Dockerfile.Instruction> copies = dockerfile.finalStage().all("COPY");
        assertThat(copies).allSatisfy(c -> assertThat(c.flags()).containsEntry("from", "build"));

        Map<String, String> destinations = new java.util.LinkedHashMap<>();
        for (Dockerfile.Instruction copy : copies) {
            List<String> words = copy.words();
            assertThat(words).as("COPY line " + copy.line()).hasSize(2);
            String source = words.get(0);
            assertThat(source).as("COPY source is in the build stage's WORKDIR").startsWith(buildDir + "/");
            Path local = root.resolve(source.substring(buildDir.length() + 1));
            assertThat(local).as("COPY source " + source + " in the real build output (build the launcher first: ./mvnw -pl launcher -am package)")
                    .exists();
            destinations.put(root.relativize(local).toString().replace('\\', '/'), words.get(1));
        }
        assertThat(destinations).containsOnlyKeys("launcher/target/pulse.jar", "launcher/target/lib");

        Path jar = root.resolve("launcher/target/pulse.jar");
        Path jarInImage = Path.of(destinations.get("launcher/target/pulse.jar"));
        assertThat(Path.of(destinations.get("launcher/target/lib"))).as("lib/ next to the jar, as its manifest Class-Path expects")
                .isEqualTo(jarInImage.resolveSibling("lib"));
        try (JarFile jarFile = new JarFile(jar.toFile())) {
            Attributes manifest = jarFile.getManifest().getMainAttributes();
            assertThat(manifest.getValue(Attributes.Name.MAIN_CLASS)).isEqualTo(PulseCommand.class.getName());
            List<String> classPath = List.of(manifest.getValue(Attributes.Name.CLASS_PATH).trim().split("\\s+"));
            assertThat(classPath).isNotEmpty().allSatisfy(entry -> {
                assertThat(entry).startsWith("lib/");
                assertThat(root.resolve("launcher/target").resolve(entry)).as("class path entry " + entry).exists();
            });
        }
    }

    @Test
    void entrypointRunsTheCopiedJarAndTheDefaultCommandParses() {
        Dockerfile.Stage runtime = dockerfile.finalStage();
        String jarInImage = runtime.all("COPY").stream().map(c -> c.words().get(1)).filter(d -> d.endsWith(".jar")).findFirst().orElseThrow();
        assertThat(runtime.last("ENTRYPOINT").orElseThrow().execForm()).containsExactly("java", "-jar", jarInImage);
        List<String> cmd = runtime.last("CMD").orElseThrow().execForm();
        assertThat(cmd).containsExactly("serve");
        PulseCommand.commandLine().parseArgs(cmd.toArray(String[]::new));
        assertThat(runtime.last("WORKDIR").orElseThrow().arguments()).isEqualTo(Path.of(jarInImage).getParent().toString());
    }

    @Test
    void jvmIsSizedByTheContainerAndExitsOnOutOfMemory() {
        String options = dockerfile.finalStage().env().get("JAVA_TOOL_OPTIONS");

        assertThat(options).containsPattern("-XX:MaxRAMPercentage=\\d+(\\.\\d+)?").contains("-XX:+ExitOnOutOfMemoryError").doesNotContain("-Xmx");
    }

    @Test
    void dataDirectoryIsCreatedForTheRuntimeUser() {
        Dockerfile.Stage runtime = dockerfile.finalStage();
        String dataDir = runtime.env().get("PULSE_DATA_DIR");

        assertThat(dataDir).isEqualTo("/var/lib/pulse");
        long uid = DockerImage.userId();
        assertThat(runtime.all("RUN")).anySatisfy(run -> assertThat(run.arguments())
                .contains("mkdir -p " + dataDir).contains("chown " + uid + ":" + uid + " " + dataDir));
    }

    @Test
    void exposedPortIsTheContainerPortOfEveryWorkloadInEveryOverlay() throws IOException {
        try (Stream<Path> overlays = Files.list(root.resolve("deploy/k8s/overlays"))) {
            for (Path overlay : overlays.toList()) {
                Manifests m = Manifests.render(overlay);
                assertThat(m.workloads()).isNotEmpty().allSatisfy(w -> assertThat(w.template().getSpec().getContainers().get(0).getPorts())
                        .extracting(ContainerPort::getContainerPort).as(overlay.getFileName() + " " + w).containsExactly(DockerImage.exposedPort()));
            }
        }
    }

    /** .dockerignore patterns as Docker reads them: globs from the context root, a directory excluding what is under it. */
    private static boolean matches(String pattern, String path) {
        var matcher = FileSystems.getDefault().getPathMatcher("glob:" + pattern.replaceAll("/+$", ""));
        for (Path p = Path.of(path); p != null; p = p.getParent()) {
            if (matcher.matches(p)) {
                return true;
            }
        }
        return false;
    }
}
