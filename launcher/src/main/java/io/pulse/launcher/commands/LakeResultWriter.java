package io.pulse.launcher.commands;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** Writes a query's result as an aligned table, CSV or one JSON array, and says how many rows it wrote. */
final class LakeResultWriter {
    /** How {@code pulse lake query} prints its result. */
    enum Format {
        /** Aligned columns, a header and a row count, as in a SQL console; long cells are cut. */
        TABLE,
        /** RFC 4180: a header line, then one line per row; NULL is an empty field. */
        CSV,
        /** One JSON array of objects; decimals as exact numbers, times as ISO-8601 strings. */
        JSON
    }

    /** Widest table cell; the full value is in the csv and json formats. */
    static final int MAX_CELL_WIDTH = 60;

    private LakeResultWriter() {
    }

    /** Writes every row of {@code rs}; returns the number of rows. */
    static long write(ResultSet rs, Format format, PrintWriter out) throws SQLException {
        long rows = switch (format) {
            case TABLE -> table(rs, out);
            case CSV -> csv(rs, out);
            case JSON -> json(rs, out);
        };
        out.flush();
        return rows;
    }

    private static long table(ResultSet rs, PrintWriter out) throws SQLException {
        ResultSetMetaData meta = rs.getMetaData();
        int n = meta.getColumnCount();
        int[] widths = new int[n];
        boolean[] numeric = new boolean[n];
        String[] header = new String[n];
        for (int c = 0; c < n; c++) {
            header[c] = meta.getColumnLabel(c + 1);
            widths[c] = header[c].length();
            numeric[c] = true;
        }
        // A console table needs every width before its first line: the rows are held in memory (use LIMIT).
        List<String[]> cells = new ArrayList<>();
        while (rs.next()) {
            String[] row = new String[n];
            for (int c = 0; c < n; c++) {
                Object value = LakeValues.plain(rs.getObject(c + 1));
                numeric[c] &= value == null || value instanceof Number;
                row[c] = value == null ? "NULL" : cut(LakeValues.text(value));
                widths[c] = Math.max(widths[c], row[c].length());
            }
            cells.add(row);
        }
        StringBuilder rule = new StringBuilder();
        for (int c = 0; c < n; c++) {
            rule.append(c == 0 ? "" : "+").append("-".repeat(widths[c] + 2));
        }
        out.println(line(header, widths, numeric));
        out.println(rule);
        for (String[] row : cells) {
            out.println(line(row, widths, numeric));
        }
        out.println("(" + cells.size() + (cells.size() == 1 ? " row)" : " rows)"));
        return cells.size();
    }

    private static String line(String[] cells, int[] widths, boolean[] rightAligned) {
        StringBuilder b = new StringBuilder();
        for (int c = 0; c < cells.length; c++) {
            String pad = " ".repeat(widths[c] - cells[c].length());
            b.append(c == 0 ? " " : " | ").append(rightAligned[c] ? pad + cells[c] : cells[c] + pad);
        }
        return b.toString().stripTrailing();
    }

    private static String cut(String s) {
        String oneLine = s.replace("\r", "\\r").replace("\n", "\\n");
        return oneLine.length() <= MAX_CELL_WIDTH ? oneLine : oneLine.substring(0, MAX_CELL_WIDTH - 1) + "…";
    }

    private static long csv(ResultSet rs, PrintWriter out) throws SQLException {
        ResultSetMetaData meta = rs.getMetaData();
        int n = meta.getColumnCount();
        List<String> fields = new ArrayList<>();
        for (int c = 1; c <= n; c++) {
            fields.add(csvField(meta.getColumnLabel(c)));
        }
        out.print(String.join(",", fields) + "\r\n");
        long rows = 0;
        while (rs.next()) {
            fields.clear();
            for (int c = 1; c <= n; c++) {
                Object value = LakeValues.plain(rs.getObject(c));
                fields.add(value == null ? "" : csvField(LakeValues.text(value)));
            }
            out.print(String.join(",", fields) + "\r\n");
            rows++;
        }
        return rows;
    }

    private static String csvField(String s) {
        boolean quote = s.isEmpty() || s.indexOf(',') >= 0 || s.indexOf('"') >= 0 || s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0;
        return quote ? '"' + s.replace("\"", "\"\"") + '"' : s; // "" keeps an empty string apart from NULL
    }

    private static long json(ResultSet rs, PrintWriter out) throws SQLException {
        ResultSetMetaData meta = rs.getMetaData();
        int n = meta.getColumnCount();
        long rows = 0;
        try (JsonGenerator json = LakeValues.JSON.createGenerator(out)) {
            json.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            json.writeStartArray();
            while (rs.next()) {
                json.writeStartObject();
                for (int c = 1; c <= n; c++) {
                    json.writeFieldName(meta.getColumnLabel(c));
                    LakeValues.JSON.writeValue(json, LakeValues.plain(rs.getObject(c)));
                }
                json.writeEndObject();
                rows++;
            }
            json.writeEndArray();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the result as JSON", e);
        }
        out.println();
        return rows;
    }
}
