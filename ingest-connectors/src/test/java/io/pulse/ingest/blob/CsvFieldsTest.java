package io.pulse.ingest.blob;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CsvFieldsTest {

    @Test
    void splitsOnCommasAndTrimsUnquotedFields() throws Exception {
        assertThat(CsvFields.split("a, b ,c")).containsExactly("a", "b", "c");
        assertThat(CsvFields.split("a,,c,")).containsExactly("a", "", "c", "");
        assertThat(CsvFields.split("")).containsExactly("");
    }

    @Test
    void keepsCommasAndDoubledQuotesInsideQuotedFields() throws Exception {
        assertThat(CsvFields.split("\"Berlin, Mitte\",\"say \"\"hi\"\"\", \" x \"")).containsExactly("Berlin, Mitte", "say \"hi\"", " x ");
    }

    @Test
    void refusesAQuoteThatIsNotClosedOnTheLine() {
        assertThatThrownBy(() -> CsvFields.split("a,\"open")).isInstanceOf(CsvFields.MalformedCsvException.class)
                .hasMessageContaining("field 2").hasMessageContaining("not closed");
    }

    @Test
    void refusesTextAfterAClosingQuoteAndAQuoteInsideAnUnquotedField() {
        assertThatThrownBy(() -> CsvFields.split("\"a\"b,c")).isInstanceOf(CsvFields.MalformedCsvException.class)
                .hasMessageContaining("after its closing quote");
        assertThatThrownBy(() -> CsvFields.split("a,b\"c")).isInstanceOf(CsvFields.MalformedCsvException.class)
                .hasMessageContaining("field 2");
    }
}
