package io.pulse.deploy.bicep;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** The declarations of one Bicep file, and the identifiers its expressions refer to. */
record BicepFile(Path path, List<Param> params, List<Var> vars, List<Resource> resources, List<Module> modules,
                 List<Output> outputs, Set<String> references, List<BicepToken> tokens) {

    record Decorator(String name, List<BicepToken> arguments) {
    }

    record Param(String name, String type, Optional<BicepNode> defaultValue, List<Decorator> decorators, int line) {
        /** A caller must pass it: no default and not a nullable type. */
        boolean required() {
            return defaultValue.isEmpty() && !type.endsWith("?");
        }
    }

    record Var(String name, BicepNode value, int line) {
    }

    record Resource(String symbol, String type, String apiVersion, boolean existing, BicepNode body, List<Decorator> decorators,
                    int line) {
        String typeAndVersion() {
            return type + "@" + apiVersion;
        }
    }

    record Module(String symbol, String path, BicepNode body, int line) {
    }

    record Output(String name, String type, BicepNode value, int line) {
    }

    Optional<Param> param(String name) {
        return params.stream().filter(p -> p.name().equals(name)).findFirst();
    }

    Optional<Var> variable(String name) {
        return vars.stream().filter(v -> v.name().equals(name)).findFirst();
    }

    Optional<Output> output(String name) {
        return outputs.stream().filter(o -> o.name().equals(name)).findFirst();
    }

    Optional<Module> module(String symbol) {
        return modules.stream().filter(m -> m.symbol().equals(symbol)).findFirst();
    }

    @Override
    public String toString() {
        return path.toString();
    }
}
