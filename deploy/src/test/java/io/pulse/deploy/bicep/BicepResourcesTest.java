package io.pulse.deploy.bicep;

import static io.pulse.deploy.bicep.BicepValues.at;
import static io.pulse.deploy.bicep.BicepValues.resource;
import static io.pulse.deploy.bicep.BicepValues.strings;
import static io.pulse.deploy.bicep.BicepValues.text;
import static org.assertj.core.api.Assertions.assertThat;

import io.pulse.common.config.ConfigKeys;
import io.pulse.common.config.PulseConfig;
import io.pulse.common.registry.InMemorySchemaRegistryClient;
import io.pulse.common.serde.SerdeFactory;
import io.pulse.lake.dataset.LakeDataset;
import io.pulse.lake.dataset.LakeDatasets;
import java.nio.file.Files;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The settings that Pulse's guarantees and the security model depend on, and names that must match the code. */
class BicepResourcesTest {
    private final BicepTemplates templates = BicepTemplates.load();

    @Test
    void eventHubsIsPremiumSizedByProcessingUnitsWithKafkaTls12AndTheLocalAuthTheClientsUse() {
        BicepNode ns = resource(templates.file("modules/eventhubs.bicep"), "namespace").body();
        assertThat(text(ns, "sku", "name")).as("Kafka Streams needs Premium or Dedicated").isEqualTo("Premium");
        assertThat(text(ns, "sku", "capacity")).isEqualTo("processingUnits");
        assertThat(text(ns, "properties", "minimumTlsVersion")).isEqualTo("1.2");
        assertThat(text(ns, "properties", "kafkaEnabled")).isEqualTo("true");
        assertThat(text(ns, "properties", "disableLocalAuth")).as("Pulse signs in with SASL PLAIN and a connection string").isEqualTo("false");
        BicepNode rule = resource(templates.file("modules/eventhubs.bicep"), "applicationRule").body();
        assertThat(strings(at(rule, "properties", "rights"))).as("the application's rule cannot manage the namespace")
                .containsExactlyInAnyOrder("Listen", "Send");
        assertThat(text(at(templates.main().module("eventHubs").orElseThrow().body(), "params", "processingUnits"))).isEqualTo("processingUnits");
    }

    @Test
    void theLakeIsAHierarchicalPrivateTls12AccountWithTheFileSystemAndDatasetsPulseUses() throws Exception {
        BicepFile storage = templates.file("modules/storage.bicep");
        BicepNode account = resource(storage, "account").body();
        assertThat(text(account, "kind")).isEqualTo("StorageV2");
        assertThat(text(account, "properties", "isHnsEnabled")).isEqualTo("true");
        assertThat(text(account, "properties", "allowBlobPublicAccess")).isEqualTo("false");
        assertThat(text(account, "properties", "minimumTlsVersion")).isEqualTo("TLS1_2");
        assertThat(text(account, "properties", "allowSharedKeyAccess")).as("the sink uses its workload identity").isEqualTo("false");

        PulseConfig adls = PulseConfig.load(Map.of(), Map.of(), Map.of(ConfigKeys.LAKE_STORE, "adls",
                ConfigKeys.LAKE_ADLS_ENDPOINT, "https://example.dfs.core.windows.net"));
        assertThat(storage.variable("fileSystemName").orElseThrow().value().plainString())
                .as("file system = default of " + ConfigKeys.LAKE_ADLS_FILE_SYSTEM).hasValue(adls.lake().adls().orElseThrow().fileSystem());
        assertThat(text(resource(storage, "fileSystem").body(), "name")).isEqualTo("fileSystemName");
        assertThat(text(resource(storage, "fileSystem").body(), "properties", "publicAccess")).isEqualTo("None");

        var datasets = LakeDatasets.standard(adls.lake(), new SerdeFactory(new InMemorySchemaRegistryClient())).all().stream()
                .map(LakeDataset::name).toList();
        assertThat(strings(storage.variable("datasets").orElseThrow().value())).as("datasets fenced per tenant = the sink's")
                .containsExactlyInAnyOrderElementsOf(datasets);

        BicepNode script = resource(storage, "tenantDirectories").body();
        assertThat(text(script, "kind")).isEqualTo("AzureCLI");
        String content = Files.readString(templates.dir().resolve("modules/scripts/lake-tenant-directories.sh"));
        assertThat(content).contains("az storage fs directory create", "az storage fs access set", "$dataset/tenant=$tenant",
                "default:group:$group:r-x");
        assertThat(text(resource(storage, "aclIdentityOwner").body(), "scope")).as("ACL writer is owner of this account only")
                .isEqualTo("account");
    }

    @Test
    void theKeyVaultIsRbacOnlyWithPurgeProtection() {
        BicepNode vault = resource(templates.file("modules/keyvault.bicep"), "vault").body();
        assertThat(text(vault, "properties", "enableRbacAuthorization")).isEqualTo("true");
        assertThat(text(vault, "properties", "enablePurgeProtection")).isEqualTo("true");
        BicepNode secret = resource(templates.file("modules/keyvault.bicep"), "eventHubsConnectionString").body();
        assertThat(text(secret, "properties", "value")).as("from the application rule, never a literal")
                .isEqualTo("applicationRule.listKeys().primaryConnectionString");
    }
}
