package io.pulse.deploy.bicep;

import static io.pulse.deploy.bicep.BicepValues.at;
import static io.pulse.deploy.bicep.BicepValues.objects;
import static io.pulse.deploy.bicep.BicepValues.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.pulse.deploy.bicep.BicepNode.ObjectNode;
import io.pulse.deploy.bicep.BicepToken.Kind;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Role assignments use the real built-in role ids and give each component what it needs. */
class BicepRoleAssignmentsTest {
    /** Built-in role ids, from learn.microsoft.com/azure/role-based-access-control/built-in-roles (the same in every tenant). */
    static final Map<String, String> BUILT_IN_ROLES = Map.of(
            "Azure Event Hubs Data Owner", "f526a384-b230-433a-b45c-95f59c4a2dec",
            "Azure Event Hubs Data Receiver", "a638d3c7-ab3a-418d-83e6-5f17a39d4fde",
            "Azure Event Hubs Data Sender", "2b629674-e913-4c01-ae53-ef4638d8f975",
            "Storage Blob Data Contributor", "ba92f5b4-2d11-453d-a403-e96b0029c9fe",
            "Storage Blob Data Owner", "b7e6dc6d-f1e8-4753-8033-0f276bb0955b",
            "Storage Blob Data Reader", "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1",
            "Key Vault Secrets User", "4633458b-17de-408a-b874-0445c86b69e6",
            "Key Vault Secrets Officer", "b86a8fe4-44ce-4948-aee5-eccb2c155cd7");
    private static final Pattern GUID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    private final BicepTemplates templates = BicepTemplates.load();
    private final BicepFile roles = templates.file("modules/roles.bicep");

    @Test
    void everyGuidInTheTemplatesIsABuiltInRoleAndNamedForIt() {
        Map<String, String> byNormalizedName = new HashMap<>();
        BUILT_IN_ROLES.forEach((name, id) -> byNormalizedName.put(normalize(name), id));
        int named = 0;
        for (BicepFile f : templates.all()) {
            for (BicepToken t : f.tokens()) {
                if (t.kind() == Kind.STRING && GUID.matcher(t.template()).find()) {
                    assertThat(BUILT_IN_ROLES.values()).as("GUID '%s' in %s (line %d) is a built-in role id", t.template(), f, t.line())
                            .contains(t.template());
                }
            }
            // A GUID held by a var or an object key names its role: that name must be the role's.
            for (BicepFile.Var v : f.vars()) {
                Map<String, BicepNode> candidates = v.value() instanceof ObjectNode o ? o.properties() : Map.of(v.name(), v.value());
                for (var e : candidates.entrySet()) {
                    String value = e.getValue().plainString().orElse("");
                    if (GUID.matcher(value).matches()) {
                        assertThat(byNormalizedName.get(normalize(e.getKey())))
                                .as("role id '%s' of '%s' in %s", value, e.getKey(), f).isEqualTo(value);
                        named++;
                    }
                }
            }
        }
        assertThat(named).as("role ids found in vars").isGreaterThanOrEqualTo(5);
    }

    @Test
    void eachComponentGetsItsRolesOnTheRightScope() {
        List<String> grants = List.of("eventHubsGrants", "storageGrants", "keyVaultGrants");
        Map<String, String> scopeOfGrants = Map.of("eventHubsGrants", "namespace", "storageGrants", "account", "keyVaultGrants", "vault");
        List<org.assertj.core.groups.Tuple> given = new java.util.ArrayList<>();
        for (String list : grants) {
            BicepFile.Resource assignment = roles.resources().stream()
                    .filter(r -> r.body() instanceof BicepNode.ForNode loop && BicepToken.render(loop.iterable()).equals(list))
                    .findFirst().orElseThrow(() -> new AssertionError("no role assignment loop over " + list));
            assertThat(assignment.type()).isEqualTo("Microsoft.Authorization/roleAssignments");
            assertThat(text(assignment.body(), "scope")).isEqualTo(scopeOfGrants.get(list));
            assertThat(text(assignment.body(), "properties", "roleDefinitionId"))
                    .isEqualTo("subscriptionResourceId('Microsoft.Authorization/roleDefinitions',builtInRoles[g.role])");
            assertThat(text(assignment.body(), "name")).as("a stable name").startsWith("guid(" + scopeOfGrants.get(list) + ".id,");
            for (ObjectNode g : objects(roles.variable(list).orElseThrow().value())) {
                given.add(tuple(scopeOfGrants.get(list), text(at(g, "principalId")), text(at(g, "role"))));
            }
        }
        assertThat(given).contains(
                tuple("namespace", "insightsPrincipalId", "Azure Event Hubs Data Receiver"),
                tuple("namespace", "insightsPrincipalId", "Azure Event Hubs Data Sender"),
                tuple("namespace", "ingestPrincipalId", "Azure Event Hubs Data Sender"),
                tuple("namespace", "lakeSinkPrincipalId", "Azure Event Hubs Data Receiver"),
                tuple("account", "lakeSinkPrincipalId", "Storage Blob Data Contributor"),
                tuple("vault", "insightsPrincipalId", "Key Vault Secrets User"),
                tuple("vault", "ingestPrincipalId", "Key Vault Secrets User"),
                tuple("vault", "lakeSinkPrincipalId", "Key Vault Secrets User"),
                tuple("vault", "secretsReaderPrincipalId", "Key Vault Secrets User"));
        assertThat(given).as("only the lake sink writes the lake; nobody owns Event Hubs")
                .filteredOn(t -> t.toList().get(0).equals("account")).hasSize(1);
        ObjectNode builtIn = (ObjectNode) roles.variable("builtInRoles").orElseThrow().value();
        assertThat(given).allSatisfy(t -> assertThat(builtIn.properties()).containsKey((String) t.toList().get(2)));
    }

    private static String normalize(String name) {
        return name.toLowerCase(Locale.ROOT).replaceAll("[^a-z]", "");
    }
}
