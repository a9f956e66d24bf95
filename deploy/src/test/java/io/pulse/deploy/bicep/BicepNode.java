package io.pulse.deploy.bicep;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A value in a Bicep file: what the checks need to look into (objects, arrays, strings), the rest as tokens. */
sealed interface BicepNode {
    /** The object a loop or a condition wraps, or this node. */
    default BicepNode unwrap() {
        return this;
    }

    /** The string's value when this is a string without interpolation. */
    default Optional<String> plainString() {
        return Optional.empty();
    }

    record ObjectNode(Map<String, BicepNode> properties) implements BicepNode {
        public ObjectNode {
            properties = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(properties));
        }

        Optional<BicepNode> get(String key) {
            return Optional.ofNullable(properties.get(key));
        }
    }

    record ArrayNode(List<BicepNode> items) implements BicepNode {
    }

    record StringNode(BicepToken token) implements BicepNode {
        @Override
        public Optional<String> plainString() {
            return token.isPlainString() ? Optional.of(token.template()) : Optional.empty();
        }

        String template() {
            return token.template();
        }
    }

    /** Any other expression, kept as its tokens. */
    record ExprNode(List<BicepToken> tokens) implements BicepNode {
        String text() {
            return BicepToken.render(tokens);
        }
    }

    /** {@code [for <variables> in <iterable>: <body>]}. */
    record ForNode(List<BicepToken> variables, List<BicepToken> iterable, BicepNode body) implements BicepNode {
        @Override
        public BicepNode unwrap() {
            return body.unwrap();
        }
    }

    /** {@code if (<condition>) <body>}. */
    record IfNode(List<BicepToken> condition, BicepNode body) implements BicepNode {
        @Override
        public BicepNode unwrap() {
            return body.unwrap();
        }
    }
}
