package io.pulse.ingest.blob;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits one CSV line into fields (RFC 4180 on one line): comma-separated, a field may be enclosed in double
 * quotes, {@code ""} inside quotes is one quote, spaces around an unquoted field are dropped. A quoted field
 * cannot span lines: a blob's lines are its records, so that each bad record has a line number.
 */
final class CsvFields {
    /** The line is not well-formed CSV. */
    static final class MalformedCsvException extends Exception {
        MalformedCsvException(String message) {
            super(message, null, false, false);
        }
    }

    private CsvFields() {
    }

    static List<String> split(String line) throws MalformedCsvException {
        List<String> fields = new ArrayList<>();
        int i = 0;
        int n = line.length();
        while (true) {
            while (i < n && (line.charAt(i) == ' ' || line.charAt(i) == '\t')) {
                i++;
            }
            if (i < n && line.charAt(i) == '"') {
                StringBuilder field = new StringBuilder();
                int column = fields.size() + 1;
                i++;
                while (true) {
                    if (i >= n) {
                        throw new MalformedCsvException("field " + column + " opens a quote that is not closed on this line"
                                + " (a quoted field cannot span lines)");
                    }
                    char c = line.charAt(i++);
                    if (c == '"') {
                        if (i < n && line.charAt(i) == '"') {
                            field.append('"');
                            i++;
                        } else {
                            break;
                        }
                    } else {
                        field.append(c);
                    }
                }
                while (i < n && (line.charAt(i) == ' ' || line.charAt(i) == '\t')) {
                    i++;
                }
                if (i < n && line.charAt(i) != ',') {
                    throw new MalformedCsvException("field " + column + " has text after its closing quote");
                }
                fields.add(field.toString());
            } else {
                int start = i;
                while (i < n && line.charAt(i) != ',') {
                    if (line.charAt(i) == '"') {
                        throw new MalformedCsvException("field " + (fields.size() + 1)
                                + " has a quote inside an unquoted value; enclose the field in quotes and double the quote");
                    }
                    i++;
                }
                fields.add(line.substring(start, i).strip());
            }
            if (i >= n) {
                return fields;
            }
            i++; // the comma
        }
    }
}
