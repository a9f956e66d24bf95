package io.pulse.deploy.bicep;

import io.pulse.deploy.bicep.BicepToken.Kind;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits Bicep source into tokens: identifiers, numbers, strings (with escapes, interpolation and
 * <code>'''</code> multi-line strings), symbols and newlines (significant in Bicep); comments are dropped.
 * Enough of the language for Pulse's templates, not a full implementation: anything it does not know fails
 * with the file's line, so the checker never silently misreads a template.
 */
final class BicepLexer {
    private static final List<String> TWO_CHAR_SYMBOLS = List.of("==", "!=", "<=", ">=", "&&", "||", "??", "::", "=~", "!~", "?.");
    private static final String ONE_CHAR_SYMBOLS = "{}[]()<>,:.?!=@+-*/%|&";

    private final String src;
    private final String file;
    private int pos;
    private int line = 1;

    private BicepLexer(String src, String file) {
        this.src = src;
        this.file = file;
    }

    static List<BicepToken> tokenize(String src, String file) {
        BicepLexer lexer = new BicepLexer(src, file);
        List<BicepToken> tokens = new ArrayList<>();
        BicepToken t;
        do {
            t = lexer.next();
            boolean repeatedNewline = t.kind() == Kind.NEWLINE && !tokens.isEmpty() && tokens.get(tokens.size() - 1).kind() == Kind.NEWLINE;
            if (!repeatedNewline) {
                tokens.add(t);
            }
        } while (t.kind() != Kind.EOF);
        return tokens;
    }

    private BicepToken next() {
        skipSpacesAndComments();
        if (pos >= src.length()) {
            return BicepToken.of(Kind.EOF, "", line);
        }
        char c = src.charAt(pos);
        if (c == '\n') {
            pos++;
            return BicepToken.of(Kind.NEWLINE, "\n", line++);
        }
        if (c == '\'') {
            return src.startsWith("'''", pos) ? multiLineString() : string();
        }
        if (Character.isLetter(c) || c == '_') {
            int start = pos;
            while (pos < src.length() && (Character.isLetterOrDigit(src.charAt(pos)) || src.charAt(pos) == '_')) {
                pos++;
            }
            return BicepToken.of(Kind.IDENT, src.substring(start, pos), line);
        }
        if (Character.isDigit(c)) {
            int start = pos;
            while (pos < src.length() && Character.isDigit(src.charAt(pos))) {
                pos++;
            }
            return BicepToken.of(Kind.NUMBER, src.substring(start, pos), line);
        }
        for (String s : TWO_CHAR_SYMBOLS) {
            if (src.startsWith(s, pos)) {
                pos += 2;
                return BicepToken.of(Kind.SYMBOL, s, line);
            }
        }
        if (ONE_CHAR_SYMBOLS.indexOf(c) >= 0) {
            pos++;
            return BicepToken.of(Kind.SYMBOL, String.valueOf(c), line);
        }
        throw error("unexpected character '" + c + "'");
    }

    private void skipSpacesAndComments() {
        while (pos < src.length()) {
            char c = src.charAt(pos);
            if (c == ' ' || c == '\t' || c == '\r') {
                pos++;
            } else if (src.startsWith("//", pos)) {
                while (pos < src.length() && src.charAt(pos) != '\n') {
                    pos++;
                }
            } else if (src.startsWith("/*", pos)) {
                int end = src.indexOf("*/", pos + 2);
                if (end < 0) {
                    throw error("unterminated /* comment");
                }
                line += (int) src.substring(pos, end).chars().filter(ch -> ch == '\n').count();
                pos = end + 2;
            } else {
                return;
            }
        }
    }

    private BicepToken multiLineString() {
        int startLine = line;
        int end = src.indexOf("'''", pos + 3);
        if (end < 0) {
            throw error("unterminated ''' string");
        }
        String text = src.substring(pos + 3, end);
        line += (int) text.chars().filter(ch -> ch == '\n').count();
        pos = end + 3;
        return new BicepToken(Kind.STRING, text, startLine, List.of(text));
    }

    private BicepToken string() {
        int startLine = line;
        pos++; // opening quote
        List<Object> parts = new ArrayList<>();
        StringBuilder literal = new StringBuilder();
        while (true) {
            if (pos >= src.length() || src.charAt(pos) == '\n') {
                throw error("unterminated string starting on line " + startLine);
            }
            char c = src.charAt(pos);
            if (c == '\'') {
                pos++;
                break;
            }
            if (c == '\\') {
                literal.append(escape(src.charAt(pos + 1)));
                pos += 2;
            } else if (c == '$' && pos + 1 < src.length() && src.charAt(pos + 1) == '{') {
                pos += 2;
                parts.add(literal.toString());
                literal.setLength(0);
                parts.add(interpolation());
            } else {
                literal.append(c);
                pos++;
            }
        }
        parts.add(literal.toString());
        parts.removeIf(p -> p instanceof String s && s.isEmpty());
        BicepToken t = new BicepToken(Kind.STRING, "", startLine, List.copyOf(parts));
        return new BicepToken(Kind.STRING, t.template(), startLine, t.parts());
    }

    /** The tokens up to the <code>}</code> that closes a <code>${</code>. */
    private List<BicepToken> interpolation() {
        List<BicepToken> tokens = new ArrayList<>();
        int depth = 0;
        while (true) {
            BicepToken t = next();
            if (t.kind() == Kind.EOF || t.kind() == Kind.NEWLINE) {
                throw error("unterminated ${ in a string");
            }
            if (t.isSymbol("{")) {
                depth++;
            } else if (t.isSymbol("}")) {
                if (depth == 0) {
                    return List.copyOf(tokens);
                }
                depth--;
            }
            tokens.add(t);
        }
    }

    private String escape(char c) {
        return switch (c) {
            case 'n' -> "\n";
            case 'r' -> "\r";
            case 't' -> "\t";
            case '\\' -> "\\";
            case '\'' -> "'";
            case '$' -> "$";
            default -> throw error("unsupported escape \\" + c);
        };
    }

    private IllegalArgumentException error(String message) {
        return new IllegalArgumentException(file + ":" + line + ": " + message);
    }
}
