package io.pulse.launcher.commands;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The three output formats on real DuckDB results (an in-memory session, as {@code pulse lake query} opens it). */
class LakeResultWriterTest {
    private Connection duckdb;
    private final StringWriter out = new StringWriter();

    @BeforeEach
    void open() throws SQLException {
        duckdb = LakeDuckDb.open();
    }

    @AfterEach
    void close() throws SQLException {
        duckdb.close();
    }

    private long write(String sql, LakeResultWriter.Format format) throws SQLException {
        try (Statement s = duckdb.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            return LakeResultWriter.write(rs, format, new PrintWriter(out));
        }
    }

    @Test
    void tableRightAlignsNumbersShowsNullAndCutsLongCells() throws SQLException {
        long rows = write("SELECT * FROM (VALUES (1.5::DECIMAL(18,4), NULL::VARCHAR, repeat('x', 100)),"
                + " (-20::DECIMAL(18,4), 'ab', 'short')) AS t(amount, label, text)", LakeResultWriter.Format.TABLE);

        assertThat(rows).isEqualTo(2);
        String cut = "x".repeat(LakeResultWriter.MAX_CELL_WIDTH - 1) + "…";
        assertThat(out.toString().lines().toList()).containsExactly(
                "   amount | label | text",
                "----------+-------+-" + "-".repeat(LakeResultWriter.MAX_CELL_WIDTH + 1),
                "   1.5000 | NULL  | " + cut,
                " -20.0000 | ab    | short",
                "(2 rows)");
    }

    @Test
    void tableOfNoRowsStillHasItsHeader() throws SQLException {
        write("SELECT 1 AS one WHERE false", LakeResultWriter.Format.TABLE);

        assertThat(out.toString().lines().toList()).containsExactly(" one", "-----", "(0 rows)");
    }

    @Test
    void jsonKeepsDecimalsExactAndWritesTimesAsIso8601InUtc() throws SQLException {
        write("SELECT 12.3400::DECIMAL(18,4) AS amount, 123456789012345678901234567890::HUGEINT AS big,"
                + " TIMESTAMPTZ '2026-01-02 05:04:00+02' AS at_utc, TIMESTAMP '2026-01-02 03:04:05.25' AS local,"
                + " DATE '2026-01-02' AS day, [{'sku': 'p-1', 'price': 9.9900::DECIMAL(18,4)}] AS items,"
                + " NULL AS nothing, true AS yes, 'say \"hi\"' AS text", LakeResultWriter.Format.JSON);

        assertThat(out.toString()).isEqualTo("[{\"amount\":12.3400,\"big\":123456789012345678901234567890,"
                + "\"at_utc\":\"2026-01-02T03:04:00Z\",\"local\":\"2026-01-02T03:04:05.25\",\"day\":\"2026-01-02\","
                + "\"items\":[{\"sku\":\"p-1\",\"price\":9.9900}],\"nothing\":null,\"yes\":true,\"text\":\"say \\\"hi\\\"\"}]"
                + System.lineSeparator());
    }

    @Test
    void jsonOfNoRowsIsAnEmptyArray() throws SQLException {
        write("SELECT 1 AS one WHERE false", LakeResultWriter.Format.JSON);

        assertThat(out.toString().strip()).isEqualTo("[]");
    }

    @Test
    void csvTellsAnEmptyStringFromNullAndQuotesSeparatorsAndLineBreaks() throws SQLException {
        write("SELECT '' AS empty, NULL AS missing, 'two' || chr(10) || 'lines' AS multi, 'a,b' AS comma, [1, 2] AS list",
                LakeResultWriter.Format.CSV);

        assertThat(out.toString()).isEqualTo("empty,missing,multi,comma,list\r\n\"\",,\"two\nlines\",\"a,b\",\"[1,2]\"\r\n");
    }

    @Test
    void formatsParseInAnyCaseAndNameTheChoices() {
        assertThat(EnumOption.parse(LakeResultWriter.Format.class, " Json ")).isEqualTo(LakeResultWriter.Format.JSON);
        assertThatThrownBy(() -> EnumOption.parse(LakeResultWriter.Format.class, "xml"))
                .isInstanceOf(CommandLine.TypeConversionException.class)
                .hasMessage("must be 'table', 'csv' or 'json', got 'xml'");
    }
}
