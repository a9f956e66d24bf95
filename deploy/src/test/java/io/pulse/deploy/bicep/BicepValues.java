package io.pulse.deploy.bicep;

import io.pulse.deploy.bicep.BicepNode.ArrayNode;
import io.pulse.deploy.bicep.BicepNode.ExprNode;
import io.pulse.deploy.bicep.BicepNode.ObjectNode;
import io.pulse.deploy.bicep.BicepNode.StringNode;
import java.util.List;

/** Reading values out of parsed templates, failing with the path that is missing. */
final class BicepValues {
    private BicepValues() {
    }

    /** The node at {@code keys} below {@code node} (through loops and conditions). */
    static BicepNode at(BicepNode node, String... keys) {
        BicepNode current = node;
        StringBuilder path = new StringBuilder();
        for (String key : keys) {
            path.append('.').append(key);
            if (!(current.unwrap() instanceof ObjectNode object)) {
                throw new AssertionError("not an object at " + path);
            }
            current = object.get(key).orElseThrow(() -> new AssertionError("no property " + path));
        }
        return current;
    }

    /** A string's template (interpolations as <code>${…}</code>) or an expression's text. */
    static String text(BicepNode node) {
        if (node instanceof StringNode s) {
            return s.template();
        }
        if (node instanceof ExprNode e) {
            return e.text();
        }
        throw new AssertionError("expected a string or an expression, got " + node);
    }

    static String text(BicepNode node, String... keys) {
        return text(at(node, keys));
    }

    /** The objects of an array. */
    static List<ObjectNode> objects(BicepNode array) {
        if (!(array instanceof ArrayNode a)) {
            throw new AssertionError("expected an array, got " + array);
        }
        return a.items().stream().map(i -> (ObjectNode) i).toList();
    }

    /** The plain strings of an array. */
    static List<String> strings(BicepNode array) {
        if (!(array instanceof ArrayNode a)) {
            throw new AssertionError("expected an array, got " + array);
        }
        return a.items().stream().map(i -> i.plainString().orElseThrow(() -> new AssertionError("not a plain string: " + i))).toList();
    }

    static BicepFile.Resource resource(BicepFile file, String symbol) {
        return file.resources().stream().filter(r -> r.symbol().equals(symbol)).findFirst()
                .orElseThrow(() -> new AssertionError("no resource '" + symbol + "' in " + file));
    }
}
