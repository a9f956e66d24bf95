package io.pulse.deploy.bicep;

import static io.pulse.deploy.bicep.BicepValues.at;
import static io.pulse.deploy.bicep.BicepValues.objects;
import static io.pulse.deploy.bicep.BicepValues.resource;
import static io.pulse.deploy.bicep.BicepValues.text;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import io.pulse.deploy.k8s.ProjectRoot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The federated credentials trust exactly the ServiceAccounts that deploy/k8s/base declares, in its namespace,
 * so that a pod's token can be exchanged for its component's identity (and for the Key Vault reader's).
 */
class BicepWorkloadIdentityTest {
    private static final Map<String, String> IDENTITY_OF_SERVICE_ACCOUNT = Map.of(
            "pulse-insights", "id-pulse-insights", "pulse-ingest", "id-pulse-ingest", "pulse-lake-sink", "id-pulse-lake-sink");

    private final BicepFile identities = BicepTemplates.load().file("modules/identities.bicep");

    @Test
    void eachComponentIdentityTrustsItsOwnServiceAccountInThePulseNamespace() throws Exception {
        Map<String, String> workloads = new TreeMap<>();
        for (var w : objects(identities.variable("workloads").orElseThrow().value())) {
            workloads.put(text(at(w, "serviceAccount")), text(at(w, "identityName")));
        }
        assertThat(workloads).isEqualTo(IDENTITY_OF_SERVICE_ACCOUNT);
        assertThat(workloads.keySet()).as("ServiceAccounts in deploy/k8s/base").isEqualTo(k8sBaseServiceAccounts().keySet());

        for (String symbol : List.of("federation", "secretsFederation")) {
            BicepFile.Resource fed = resource(identities, symbol);
            assertThat(fed.type()).isEqualTo("Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials");
            assertThat(BicepToken.render(((BicepNode.ForNode) fed.body()).iterable())).as("%s covers every workload", symbol).isEqualTo("workloads");
            assertThat(text(fed.body(), "properties", "subject")).isEqualTo("system:serviceaccount:${kubernetesNamespace}:${w.serviceAccount}");
            assertThat(text(fed.body(), "properties", "issuer")).isEqualTo("aksOidcIssuerUrl");
            assertThat(BicepValues.strings(at(fed.body(), "properties", "audiences"))).containsExactly("api://AzureADTokenExchange");
            assertThat(fed.decorators()).as("%s written one at a time", symbol).anyMatch(d -> d.name().equals("batchSize"));
        }
        assertThat(text(resource(identities, "federation").body(), "parent")).as("one credential per identity, its own")
                .isEqualTo("identity[i]");
        assertThat(text(resource(identities, "identity").body(), "name")).isEqualTo("w.identityName");

        BicepFile main = BicepTemplates.load().main();
        String namespace = main.param("kubernetesNamespace").orElseThrow().defaultValue().orElseThrow().plainString().orElseThrow();
        assertThat(namespace).as("kubernetesNamespace default = namespace of deploy/k8s/base").isEqualTo(k8sBaseNamespace());
        assertThat(text(at(main.module("identities").orElseThrow().body(), "params", "kubernetesNamespace"))).isEqualTo("kubernetesNamespace");
    }

    @Test
    void theKeyVaultSecretsNamesAreThoseTheSecretProviderClassMounts() throws Exception {
        BicepFile keyVault = BicepTemplates.load().file("modules/keyvault.bicep");
        List<String> names = new ArrayList<>(BicepValues.strings(keyVault.output("operatorSecrets").orElseThrow().value()));
        names.add(text(at(resource(keyVault, "eventHubsConnectionString").body(), "name")));
        List<String> mounted = new ArrayList<>();
        for (JsonNode doc : k8sBaseDocuments()) {
            if (doc.path("kind").asText().equals("SecretProviderClass")) {
                JsonNode objects = new ObjectMapper(new YAMLFactory()).readTree(doc.path("spec").path("parameters").path("objects").asText());
                for (JsonNode item : objects.path("array")) {
                    mounted.add(new ObjectMapper(new YAMLFactory()).readTree(item.asText()).path("objectName").asText());
                }
            }
        }
        assertThat(names).as("secrets the Bicep sets or tells the operator to set")
                .containsExactlyInAnyOrder("eventhubs-connection-string", "lake-pseudonymisation-key")
                .containsExactlyInAnyOrderElementsOf(mounted);
    }

    private static Map<String, JsonNode> k8sBaseServiceAccounts() throws Exception {
        Map<String, JsonNode> accounts = new TreeMap<>();
        for (JsonNode doc : k8sBaseDocuments()) {
            if (doc.path("kind").asText().equals("ServiceAccount")) {
                accounts.put(doc.path("metadata").path("name").asText(), doc);
            }
        }
        return accounts;
    }

    private static String k8sBaseNamespace() throws Exception {
        return k8sBaseDocuments().stream().filter(d -> d.path("kind").asText().equals("Namespace"))
                .map(d -> d.path("metadata").path("name").asText()).findFirst().orElseThrow(() -> new AssertionError("no Namespace in deploy/k8s/base"));
    }

    static List<JsonNode> k8sBaseDocuments() throws Exception {
        Path base = ProjectRoot.get().resolve("deploy/k8s/base");
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        List<JsonNode> docs = new ArrayList<>();
        try (Stream<Path> files = Files.list(base)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".yaml") && !p.endsWith("kustomization.yaml")).sorted().toList()) {
                try (YAMLParser parser = new YAMLFactory().createParser(f.toFile())) {
                    yaml.readValues(parser, JsonNode.class).forEachRemaining(d -> {
                        if (d != null && !d.isEmpty()) {
                            docs.add(d);
                        }
                    });
                }
            }
        }
        return docs;
    }
}
