package io.pulse.deploy.bicep;

import java.util.ArrayList;
import java.util.List;

/**
 * One token of a Bicep file. A string keeps its parts: literal text ({@link String}) and interpolations
 * ({@code List<BicepToken>}, the tokens between <code>${</code> and <code>}</code>).
 */
record BicepToken(Kind kind, String text, int line, List<Object> parts) {
    enum Kind { IDENT, STRING, NUMBER, SYMBOL, NEWLINE, EOF }

    static BicepToken of(Kind kind, String text, int line) {
        return new BicepToken(kind, text, line, List.of());
    }

    boolean is(Kind k, String t) {
        return kind == k && text.equals(t);
    }

    boolean isSymbol(String t) {
        return is(Kind.SYMBOL, t);
    }

    boolean isIdent(String t) {
        return is(Kind.IDENT, t);
    }

    /** The string's value when it has no interpolation. */
    boolean isPlainString() {
        return kind == Kind.STRING && parts.stream().allMatch(p -> p instanceof String);
    }

    /** The literal text, with each interpolation shown as <code>${tokens}</code>. */
    String template() {
        StringBuilder b = new StringBuilder();
        for (Object p : parts) {
            if (p instanceof String s) {
                b.append(s);
            } else {
                b.append("${").append(render(tokens(p))).append('}');
            }
        }
        return b.toString();
    }

    /** This token and every token inside its interpolations, depth first. */
    List<BicepToken> flatten() {
        List<BicepToken> all = new ArrayList<>();
        all.add(this);
        for (Object p : parts) {
            if (!(p instanceof String)) {
                tokens(p).forEach(t -> all.addAll(t.flatten()));
            }
        }
        return all;
    }

    @SuppressWarnings("unchecked")
    static List<BicepToken> tokens(Object part) {
        return (List<BicepToken>) part;
    }

    /** Tokens as source-like text: identifiers and numbers separated by a space, everything else joined. */
    static String render(List<BicepToken> tokens) {
        StringBuilder b = new StringBuilder();
        BicepToken prev = null;
        for (BicepToken t : tokens) {
            if (t.kind == Kind.NEWLINE) {
                continue;
            }
            boolean word = t.kind == Kind.IDENT || t.kind == Kind.NUMBER;
            if (prev != null && word && (prev.kind == Kind.IDENT || prev.kind == Kind.NUMBER)) {
                b.append(' ');
            }
            b.append(t.kind == Kind.STRING ? "'" + t.template() + "'" : t.text);
            prev = t;
        }
        return b.toString();
    }
}
