package io.pulse.deploy.bicep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pulse.deploy.bicep.BicepNode.ArrayNode;
import io.pulse.deploy.bicep.BicepNode.ForNode;
import io.pulse.deploy.bicep.BicepNode.IfNode;
import io.pulse.deploy.bicep.BicepNode.ObjectNode;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The checker's own parser reads the constructs the templates use, and refuses what it does not know. */
class BicepParserTest {
    private static final String SOURCE = """
            // a comment
            targetScope = 'resourceGroup'
            /* a block
               comment */
            @description('The region.')
            param location string = resourceGroup().location
            param prefix string
            param optionalThing string?
            var names = [
              'a'
              'b'
            ]
            var escaped = 'it\\'s ${prefix}-${toLower(location)}'
            resource account 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
              name: '${prefix}lake'
            }
            @batchSize(1)
            resource things 'Microsoft.Foo/bars@2020-01-01' = [for (n, i) in names: {
              name: n
              properties: {
                location: account.properties.location
                'quoted key': { inline: 1, other: [1, 2] }
              }
            }]
            module child 'modules/child.bicep' = if (!empty(prefix)) {
              name: 'child'
              params: {
                prefix: prefix
              }
            }
            output script string = '''
            multi ${not interpolated}
            line'''
            """;

    private final BicepFile file = BicepParser.parse(SOURCE, Path.of("test.bicep"));

    @Test
    void readsParamsWithTheirDefaultsAndTypes() {
        assertThat(file.params()).extracting(BicepFile.Param::name).containsExactly("location", "prefix", "optionalThing");
        assertThat(file.param("location").orElseThrow().required()).isFalse();
        assertThat(file.param("location").orElseThrow().decorators()).extracting(BicepFile.Decorator::name).containsExactly("description");
        assertThat(file.param("prefix").orElseThrow().required()).isTrue();
        assertThat(file.param("optionalThing").orElseThrow().required()).as("a nullable type needs no value").isFalse();
    }

    @Test
    void readsResourcesWithTypeVersionExistingLoopsAndDecorators() {
        assertThat(file.resources()).extracting(BicepFile.Resource::symbol, BicepFile.Resource::typeAndVersion, BicepFile.Resource::existing)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("account", "Microsoft.Storage/storageAccounts@2023-05-01", true),
                        org.assertj.core.groups.Tuple.tuple("things", "Microsoft.Foo/bars@2020-01-01", false));
        BicepFile.Resource things = file.resources().get(1);
        assertThat(things.body()).isInstanceOf(ForNode.class);
        assertThat(things.decorators()).extracting(BicepFile.Decorator::name).containsExactly("batchSize");
        ObjectNode properties = (ObjectNode) ((ObjectNode) things.body().unwrap()).get("properties").orElseThrow();
        assertThat(properties.properties()).containsOnlyKeys("location", "quoted key");
        ObjectNode inline = (ObjectNode) properties.get("quoted key").orElseThrow();
        assertThat(inline.properties()).containsOnlyKeys("inline", "other");
        assertThat(inline.get("other").orElseThrow()).isInstanceOf(ArrayNode.class);
    }

    @Test
    void readsConditionalModulesAndTheParamsTheyPass() {
        BicepFile.Module child = file.module("child").orElseThrow();
        assertThat(child.path()).isEqualTo("modules/child.bicep");
        assertThat(child.body()).isInstanceOf(IfNode.class);
        ObjectNode params = (ObjectNode) ((ObjectNode) child.body().unwrap()).get("params").orElseThrow();
        assertThat(params.properties()).containsOnlyKeys("prefix");
    }

    @Test
    void recordsIdentifiersUsedInExpressionsAndInterpolationsButNotKeysOrMembers() {
        assertThat(file.references()).contains("prefix", "location", "toLower", "names", "account", "n", "empty", "resourceGroup");
        assertThat(file.references()).as("object keys and members after '.' are not references")
                .doesNotContain("properties", "inline", "other", "name", "params", "optionalThing", "not");
    }

    @Test
    void keepsStringsTemplatesEscapesAndMultiLineStrings() {
        assertThat(file.variable("escaped").orElseThrow().value())
                .isInstanceOfSatisfying(BicepNode.StringNode.class, s -> assertThat(s.template()).isEqualTo("it's ${prefix}-${toLower(location)}"));
        assertThat(file.output("script").orElseThrow().value().plainString()).hasValueSatisfying(s -> assertThat(s).contains("multi ${not interpolated}"));
    }

    @Test
    void refusesWhatItDoesNotUnderstandNamingTheLine() {
        assertThatThrownBy(() -> BicepParser.parse("param a string\nfunc f() string => 'x'\n", Path.of("bad.bicep")))
                .hasMessageContaining("bad.bicep:2").hasMessageContaining("unsupported declaration 'func'");
        assertThatThrownBy(() -> BicepParser.parse("var a = 'open\n", Path.of("bad.bicep")))
                .hasMessageContaining("bad.bicep:1").hasMessageContaining("unterminated string");
        assertThatThrownBy(() -> BicepParser.parse("resource r 'Microsoft.Foo/bars' = {\n}\n", Path.of("bad.bicep")))
                .hasMessageContaining("has no @apiVersion");
        assertThatThrownBy(() -> BicepParser.parse("var o = {\n  a: 1\n  a: 2\n}\n", Path.of("bad.bicep")))
                .hasMessageContaining("property 'a' given twice");
    }
}
