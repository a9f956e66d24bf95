package io.pulse.deploy.bicep;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulse.deploy.bicep.BicepNode.ObjectNode;
import io.pulse.deploy.bicep.BicepToken.Kind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * What `bicep build` would catch in how the templates fit together (there is no Bicep compiler here):
 * modules that exist, params passed as declared, params used, outputs that exist, API versions that exist.
 */
class BicepWiringTest {
    /**
     * Every resource type@apiVersion the templates may use: versions checked against the ARM template reference
     * (learn.microsoft.com/azure/templates) when written. A typo in a type or a version fails here.
     */
    static final Set<String> KNOWN_TYPES = Set.of(
            "Microsoft.EventHub/namespaces@2024-05-01-preview",
            "Microsoft.EventHub/namespaces/authorizationRules@2024-05-01-preview",
            "Microsoft.EventHub/namespaces/eventhubs@2024-05-01-preview",
            "Microsoft.EventHub/namespaces/eventhubs/consumergroups@2024-05-01-preview",
            "Microsoft.Storage/storageAccounts@2023-05-01",
            "Microsoft.Storage/storageAccounts/blobServices@2023-05-01",
            "Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01",
            "Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31",
            "Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials@2023-01-31",
            "Microsoft.Authorization/roleAssignments@2022-04-01",
            "Microsoft.KeyVault/vaults@2023-07-01",
            "Microsoft.KeyVault/vaults/secrets@2023-07-01",
            "Microsoft.Resources/deploymentScripts@2023-08-01");

    private final BicepTemplates templates = BicepTemplates.load();

    @Test
    void mainIsDeployedToAResourceGroupAndReachesEveryModuleFile() {
        assertThat(templates.main().tokens()).as("targetScope = 'resourceGroup'")
                .anySatisfy(t -> assertThat(t.isPlainString() && t.template().equals("resourceGroup")).isTrue());
        Set<Path> reached = new TreeSet<>();
        List<BicepFile> queue = new ArrayList<>(List.of(templates.main()));
        while (!queue.isEmpty()) {
            BicepFile caller = queue.remove(0);
            for (BicepFile.Module m : caller.modules()) {
                Path target = templates.target(caller, m);
                assertThat(target).as("module '%s' of %s (line %d)", m.symbol(), caller, m.line()).isRegularFile();
                if (reached.add(target)) {
                    queue.add(templates.files().get(target));
                }
            }
        }
        assertThat(reached).as("every module under deploy/bicep/modules is used from main.bicep")
                .containsAll(templates.files().keySet().stream().filter(p -> !p.endsWith("main.bicep")).toList());
    }

    @Test
    void everyModuleCallPassesEachRequiredParamAndNoUnknownOne() {
        for (BicepFile caller : templates.all()) {
            for (BicepFile.Module m : caller.modules()) {
                Path target = templates.target(caller, m);
                BicepFile callee = templates.files().get(target);
                assertThat(callee).as("module file %s of %s", m.path(), caller).isNotNull();
                ObjectNode body = (ObjectNode) m.body().unwrap();
                assertThat(body.get("name")).as("deployment name of module '%s' in %s", m.symbol(), caller).isPresent();
                Set<String> passed = body.get("params").map(p -> ((ObjectNode) p.unwrap()).properties().keySet()).orElse(Set.of());
                Set<String> declared = callee.params().stream().map(BicepFile.Param::name).collect(Collectors.toSet());
                Set<String> required = callee.params().stream().filter(BicepFile.Param::required).map(BicepFile.Param::name)
                        .collect(Collectors.toSet());
                assertThat(passed).as("params %s passes to %s (line %d)", caller, m.path(), m.line())
                        .containsAll(required)
                        .allSatisfy(p -> assertThat(declared).as("param '%s' passed by %s is declared in %s", p, caller, m.path()).contains(p));
            }
        }
    }

    @Test
    void everyDeclaredParamIsUsed() {
        for (BicepFile f : templates.all()) {
            assertThat(f.params()).as("params of %s", f)
                    .allSatisfy(p -> assertThat(f.references()).as("param '%s' of %s (line %d) is used", p.name(), f, p.line()).contains(p.name()));
        }
    }

    @Test
    void everyModuleOutputReadIsDeclaredByThatModule() {
        for (BicepFile caller : templates.all()) {
            List<BicepToken> t = caller.tokens();
            for (int i = 0; i + 4 < t.size(); i++) {
                if (t.get(i).kind() == Kind.IDENT && t.get(i + 1).isSymbol(".") && t.get(i + 2).isIdent("outputs") && t.get(i + 3).isSymbol(".")) {
                    String symbol = t.get(i).text();
                    String output = t.get(i + 4).text();
                    BicepFile.Module m = caller.module(symbol).orElseThrow(() -> new AssertionError(caller + " reads outputs of '" + symbol
                            + "', which is not a module"));
                    BicepFile callee = templates.files().get(templates.target(caller, m));
                    assertThat(callee.output(output)).as("%s reads %s.outputs.%s (line %d): declared in %s", caller, symbol, output,
                            t.get(i).line(), m.path()).isPresent();
                }
            }
        }
    }

    @Test
    void everyResourceTypeAndApiVersionIsAKnownOne() {
        for (BicepFile f : templates.all()) {
            assertThat(f.resources()).as("resources of %s", f).allSatisfy(r -> assertThat(KNOWN_TYPES)
                    .as("type@apiVersion of resource '%s' in %s (line %d)", r.symbol(), f, r.line()).contains(r.typeAndVersion()));
        }
    }

    @Test
    void everyLoadedTextFileExistsAndScriptsAreValidBash() throws Exception {
        for (BicepFile f : templates.all()) {
            List<BicepToken> t = f.tokens();
            for (int i = 0; i + 2 < t.size(); i++) {
                if (t.get(i).isIdent("loadTextContent") && t.get(i + 1).isSymbol("(")) {
                    Path loaded = f.path().toAbsolutePath().getParent().resolve(t.get(i + 2).template());
                    assertThat(loaded).as("loadTextContent in %s (line %d)", f, t.get(i).line()).isRegularFile();
                    if (loaded.toString().endsWith(".sh")) {
                        Process bash = new ProcessBuilder("bash", "-n", loaded.toString()).redirectErrorStream(true).start();
                        String out = new String(bash.getInputStream().readAllBytes());
                        assertThat(bash.waitFor()).as("bash -n %s: %s", loaded, out).isZero();
                    }
                }
            }
        }
    }

    @Test
    void theGeneratedTopicsModuleIsCalledWithTheNamespaceName() {
        BicepFile eventHubs = templates.file("modules/eventhubs.bicep");
        BicepFile.Module topics = eventHubs.module("topics").orElseThrow();
        assertThat(topics.path()).isEqualTo("eventhubs-topics.bicep");
        ObjectNode params = (ObjectNode) ((ObjectNode) topics.body().unwrap()).get("params").orElseThrow();
        assertThat(params.properties()).containsOnlyKeys("namespaceName");
        assertThat(((BicepNode.ExprNode) params.get("namespaceName").orElseThrow()).text()).isEqualTo("namespace.name");
        assertThat(Files.exists(templates.dir().resolve("modules/eventhubs-topics.bicep")))
                .as("deploy/bicep/modules/eventhubs-topics.bicep, generated by `pulse topics --format bicep`").isTrue();
    }
}
