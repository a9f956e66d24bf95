package io.pulse.deploy.bicep;

import io.pulse.deploy.bicep.BicepFile.Decorator;
import io.pulse.deploy.bicep.BicepFile.Module;
import io.pulse.deploy.bicep.BicepFile.Output;
import io.pulse.deploy.bicep.BicepFile.Param;
import io.pulse.deploy.bicep.BicepFile.Resource;
import io.pulse.deploy.bicep.BicepFile.Var;
import io.pulse.deploy.bicep.BicepNode.ArrayNode;
import io.pulse.deploy.bicep.BicepNode.ExprNode;
import io.pulse.deploy.bicep.BicepNode.ForNode;
import io.pulse.deploy.bicep.BicepNode.IfNode;
import io.pulse.deploy.bicep.BicepNode.ObjectNode;
import io.pulse.deploy.bicep.BicepNode.StringNode;
import io.pulse.deploy.bicep.BicepToken.Kind;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads the declarations of a Bicep file ({@code targetScope}, {@code param}, {@code var}, {@code resource} with
 * {@code existing}, {@code module}, {@code output}, decorators) into a {@link BicepFile}. Values are parsed as far
 * as the checks look into them (objects, arrays, strings, loops, conditions); other expressions stay tokens. Every
 * identifier used in an expression (not an object key, not a member after {@code .}) is recorded as a reference.
 * What it does not understand fails with file and line: no compiler here (Bicep is a .NET binary), so this is
 * the test's substitute, strict on purpose.
 */
final class BicepParser {
    private final List<BicepToken> tokens;
    private final String file;
    private final Set<String> references = new LinkedHashSet<>();
    private int pos;

    private BicepParser(List<BicepToken> tokens, String file) {
        this.tokens = tokens;
        this.file = file;
    }

    static BicepFile parse(Path path) {
        try {
            return parse(Files.readString(path), path);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path, e);
        }
    }

    static BicepFile parse(String source, Path path) {
        List<BicepToken> tokens = BicepLexer.tokenize(source, path.toString());
        return new BicepParser(tokens, path.toString()).file(path);
    }

    private BicepFile file(Path path) {
        List<Param> params = new ArrayList<>();
        List<Var> vars = new ArrayList<>();
        List<Resource> resources = new ArrayList<>();
        List<Module> modules = new ArrayList<>();
        List<Output> outputs = new ArrayList<>();
        List<Decorator> decorators = new ArrayList<>();
        while (true) {
            skipNewlines();
            BicepToken t = peek();
            if (t.kind() == Kind.EOF) {
                break;
            }
            if (t.isSymbol("@")) {
                decorators.add(decorator());
                continue;
            }
            String keyword = expect(Kind.IDENT, "a declaration").text();
            int line = t.line();
            switch (keyword) {
                case "targetScope" -> {
                    expectSymbol("=");
                    value();
                }
                case "param" -> {
                    String name = expect(Kind.IDENT, "a parameter name").text();
                    String type = typeUntil("=");
                    Optional<BicepNode> defaultValue = Optional.empty();
                    if (peek().isSymbol("=")) {
                        pos++;
                        defaultValue = Optional.of(value());
                    }
                    params.add(new Param(name, type, defaultValue, List.copyOf(decorators), line));
                }
                case "var" -> {
                    String name = expect(Kind.IDENT, "a variable name").text();
                    expectSymbol("=");
                    vars.add(new Var(name, value(), line));
                }
                case "resource" -> {
                    String symbol = expect(Kind.IDENT, "a resource symbol").text();
                    String typeAndVersion = plainString("a resource type@apiVersion");
                    int at = typeAndVersion.indexOf('@');
                    if (at < 0) {
                        throw error("resource '" + symbol + "' type '" + typeAndVersion + "' has no @apiVersion");
                    }
                    boolean existing = false;
                    if (peek().isIdent("existing")) {
                        pos++;
                        existing = true;
                    }
                    expectSymbol("=");
                    resources.add(new Resource(symbol, typeAndVersion.substring(0, at), typeAndVersion.substring(at + 1), existing,
                            value(), List.copyOf(decorators), line));
                }
                case "module" -> {
                    String symbol = expect(Kind.IDENT, "a module symbol").text();
                    String modulePath = plainString("a module path");
                    expectSymbol("=");
                    modules.add(new Module(symbol, modulePath, value(), line));
                }
                case "output" -> {
                    String name = expect(Kind.IDENT, "an output name").text();
                    String type = typeUntil("=");
                    expectSymbol("=");
                    outputs.add(new Output(name, type, value(), line));
                }
                default -> throw error("unsupported declaration '" + keyword + "'");
            }
            decorators.clear();
            BicepToken end = peek();
            if (end.kind() != Kind.NEWLINE && end.kind() != Kind.EOF) {
                throw error("unexpected '" + end.text() + "' after the declaration on line " + line);
            }
        }
        return new BicepFile(path, params, vars, resources, modules, outputs, Set.copyOf(references),
                tokens.stream().flatMap(t -> t.flatten().stream()).toList());
    }

    private Decorator decorator() {
        expectSymbol("@");
        String name = expect(Kind.IDENT, "a decorator name").text();
        if (peek().isSymbol(".")) {
            pos++;
            name = name + "." + expect(Kind.IDENT, "a decorator name").text();
        }
        List<BicepToken> args = new ArrayList<>();
        if (peek().isSymbol("(")) {
            args = balanced("(", ")");
            collectReferences(args);
        }
        return new Decorator(name, args);
    }

    /** A type: tokens up to {@code stop} or the end of the line, e.g. {@code string}, {@code string?}, {@code int}. */
    private String typeUntil(String stop) {
        StringBuilder type = new StringBuilder();
        while (!peek().isSymbol(stop) && peek().kind() != Kind.NEWLINE && peek().kind() != Kind.EOF) {
            type.append(tokens.get(pos++).text());
        }
        if (type.isEmpty()) {
            throw error("missing type");
        }
        return type.toString();
    }

    // ---- values ---------------------------------------------------------------------------------

    private BicepNode value() {
        BicepToken t = peek();
        if (t.isSymbol("{")) {
            ObjectNode object = object();
            requireEndOfValue("an object literal");
            return object;
        }
        if (t.isSymbol("[")) {
            BicepNode array = peekPastNewlines(1).isIdent("for") ? forLoop() : array();
            requireEndOfValue("an array literal");
            return array;
        }
        if (t.isIdent("if") && tokens.get(pos + 1).isSymbol("(")) {
            pos++;
            List<BicepToken> condition = balanced("(", ")");
            collectReferences(condition);
            return new IfNode(condition, value());
        }
        List<BicepToken> expr = expression();
        if (expr.isEmpty()) {
            throw error("missing value, found '" + t.text() + "'");
        }
        collectReferences(expr);
        return expr.size() == 1 && expr.get(0).kind() == Kind.STRING ? new StringNode(expr.get(0)) : new ExprNode(expr);
    }

    /** After an object or array literal, the value must end: an operator after it is not supported here. */
    private void requireEndOfValue(String what) {
        BicepToken t = peek();
        boolean ends = t.kind() == Kind.NEWLINE || t.kind() == Kind.EOF || t.isSymbol(",") || t.isSymbol("}") || t.isSymbol("]")
                || t.isSymbol(")");
        if (!ends) {
            throw error("'" + t.text() + "' after " + what + " is not supported by this checker");
        }
    }

    private ObjectNode object() {
        expectSymbol("{");
        Map<String, BicepNode> properties = new LinkedHashMap<>();
        while (true) {
            skipNewlinesAndCommas();
            BicepToken key = tokens.get(pos++);
            if (key.isSymbol("}")) {
                return new ObjectNode(properties);
            }
            String name;
            if (key.kind() == Kind.IDENT) {
                name = key.text();
            } else if (key.kind() == Kind.STRING) {
                name = key.template();
                collectReferences(List.of(key));
            } else {
                pos--;
                throw error("expected a property name, found '" + key.text() + "'");
            }
            expectSymbol(":");
            if (properties.put(name, value()) != null) {
                throw error("property '" + name + "' given twice");
            }
        }
    }

    private ArrayNode array() {
        expectSymbol("[");
        List<BicepNode> items = new ArrayList<>();
        while (true) {
            skipNewlinesAndCommas();
            if (peek().isSymbol("]")) {
                pos++;
                return new ArrayNode(items);
            }
            items.add(value());
        }
    }

    private ForNode forLoop() {
        expectSymbol("[");
        skipNewlines();
        expect(Kind.IDENT, "for");
        List<BicepToken> variables = new ArrayList<>();
        while (!peek().isIdent("in")) {
            if (peek().kind() == Kind.EOF || peek().kind() == Kind.NEWLINE) {
                throw error("'for' without 'in'");
            }
            variables.add(tokens.get(pos++));
        }
        pos++;
        List<BicepToken> iterable = new ArrayList<>();
        int depth = 0;
        while (depth > 0 || !peek().isSymbol(":")) {
            BicepToken t = tokens.get(pos++);
            if (t.kind() == Kind.EOF) {
                throw error("'for' without ':'");
            }
            depth += opens(t) ? 1 : closes(t) ? -1 : 0;
            iterable.add(t);
        }
        pos++;
        collectReferences(iterable);
        BicepNode body = value();
        skipNewlines();
        expectSymbol("]");
        return new ForNode(variables, iterable, body);
    }

    /** Tokens of an expression up to, at bracket depth 0, a newline, a comma or a bracket it did not open. */
    private List<BicepToken> expression() {
        List<BicepToken> expr = new ArrayList<>();
        int depth = 0;
        while (true) {
            BicepToken t = peek();
            if (t.kind() == Kind.EOF) {
                break;
            }
            if (depth == 0 && (t.kind() == Kind.NEWLINE || t.isSymbol(",") || closes(t))) {
                break;
            }
            depth += opens(t) ? 1 : closes(t) ? -1 : 0;
            expr.add(t);
            pos++;
        }
        return expr;
    }

    private List<BicepToken> balanced(String open, String close) {
        expectSymbol(open);
        List<BicepToken> inner = new ArrayList<>();
        int depth = 0;
        while (true) {
            BicepToken t = tokens.get(pos++);
            if (t.kind() == Kind.EOF) {
                throw error("missing '" + close + "'");
            }
            if (t.isSymbol(close) && depth == 0) {
                return inner;
            }
            depth += opens(t) ? 1 : closes(t) ? -1 : 0;
            inner.add(t);
        }
    }

    // ---- references -------------------------------------------------------------------------------

    private void collectReferences(List<BicepToken> expr) {
        List<BicepToken> flat = expr.stream().flatMap(t -> t.flatten().stream()).toList();
        for (int i = 0; i < flat.size(); i++) {
            BicepToken t = flat.get(i);
            boolean member = i > 0 && (flat.get(i - 1).isSymbol(".") || flat.get(i - 1).isSymbol("::") || flat.get(i - 1).isSymbol("?."));
            boolean objectKey = i + 1 < flat.size() && flat.get(i + 1).isSymbol(":") && i > 0
                    && (flat.get(i - 1).isSymbol("{") || flat.get(i - 1).isSymbol(",") || flat.get(i - 1).kind() == Kind.NEWLINE);
            if (t.kind() == Kind.IDENT && !member && !objectKey) {
                reference(t);
            }
        }
    }

    private void reference(BicepToken t) {
        if (t.kind() == Kind.IDENT) {
            references.add(t.text());
        }
    }

    // ---- token helpers ----------------------------------------------------------------------------

    private static boolean opens(BicepToken t) {
        return t.isSymbol("(") || t.isSymbol("[") || t.isSymbol("{");
    }

    private static boolean closes(BicepToken t) {
        return t.isSymbol(")") || t.isSymbol("]") || t.isSymbol("}");
    }

    private BicepToken peek() {
        return tokens.get(pos);
    }

    private BicepToken peekPastNewlines(int offset) {
        int i = pos + offset;
        while (tokens.get(i).kind() == Kind.NEWLINE) {
            i++;
        }
        return tokens.get(i);
    }

    private void skipNewlines() {
        while (peek().kind() == Kind.NEWLINE) {
            pos++;
        }
    }

    private void skipNewlinesAndCommas() {
        while (peek().kind() == Kind.NEWLINE || peek().isSymbol(",")) {
            pos++;
        }
    }

    private BicepToken expect(Kind kind, String what) {
        BicepToken t = peek();
        if (t.kind() != kind || (kind == Kind.IDENT && what.equals("for") && !t.text().equals("for"))) {
            throw error("expected " + what + ", found '" + t.text() + "'");
        }
        pos++;
        return t;
    }

    private void expectSymbol(String symbol) {
        if (!peek().isSymbol(symbol)) {
            throw error("expected '" + symbol + "', found '" + peek().text().replace("\n", "newline") + "'");
        }
        pos++;
    }

    private String plainString(String what) {
        BicepToken t = expect(Kind.STRING, what);
        if (!t.isPlainString()) {
            throw error(what + " must not be interpolated: '" + t.template() + "'");
        }
        return t.template();
    }

    private IllegalArgumentException error(String message) {
        return new IllegalArgumentException(file + ":" + peek().line() + ": " + message);
    }
}
