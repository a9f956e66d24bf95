package io.pulse.deploy.bicep;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pulse.common.config.PulseConfig;
import io.pulse.deploy.k8s.ProjectRoot;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** main.parameters.example.json is a complete, minimal starting point for a deployment. */
class BicepParametersExampleTest {

    @Test
    void givesExactlyTheParamsMainRequires() throws Exception {
        BicepFile main = BicepTemplates.load().main();
        JsonNode example = example();
        Set<String> given = new TreeSet<>();
        example.path("parameters").fieldNames().forEachRemaining(given::add);
        Set<String> required = main.params().stream().filter(BicepFile.Param::required).map(BicepFile.Param::name)
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(given).as("parameters of main.parameters.example.json = required params of main.bicep").isEqualTo(required);
        assertThat(example.path("parameters")).allSatisfy(p -> assertThat(p.has("value")).as("every parameter has a value").isTrue());
    }

    @Test
    void onboardsTheDemoTenantsEachWithAnAnalystsGroup() throws Exception {
        List<String> tenants = new ArrayList<>();
        for (JsonNode t : example().path("parameters").path("tenants").path("value")) {
            tenants.add(t.path("name").asText());
            assertThat(t.path("analystsGroupObjectId").asText()).as("analysts group of %s", t.path("name")).isNotBlank();
        }
        List<String> demo = PulseConfig.load(Map.of(), Map.of(), Map.of()).generator().tenants();
        assertThat(tenants).as("tenants of the example = the demo's (pulse.generator.tenants default)").isEqualTo(demo);
    }

    private static JsonNode example() throws Exception {
        return new ObjectMapper().readTree(ProjectRoot.get().resolve("deploy/bicep/main.parameters.example.json").toFile());
    }
}
