package io.pulse.ingest.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ConnectException;
import java.sql.SQLException;
import java.sql.SQLSyntaxErrorException;
import java.sql.SQLTransientConnectionException;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class JdbcErrorsTest {

    @ParameterizedTest(name = "SQL state {0} is retriable: {1}")
    @CsvSource({
            "08001, true", // cannot connect
            "08006, true", // connection failure during a statement
            "40001, true", // serialization failure
            "40P01, true", // deadlock
            "53300, true", // too many connections
            "57P01, true", // terminated by an administrator
            "57P03, true", // the server is starting up
            "57014, true", // statement timeout
            "58030, true", // I/O error on the server
            "42P01, false", // no such table
            "42703, false", // no such column
            "42601, false", // syntax error
            "28P01, false", // wrong password
            "3D000, false", // no such database
            "22P02, false", // invalid text representation
    })
    void classifiesBySqlState(String state, boolean retriable) {
        assertThat(JdbcErrors.isRetriable(new SQLException("test", state))).isEqualTo(retriable);
        assertThat(JdbcErrors.sqlState(new ExecutionException(new SQLException("test", state)))).contains(state);
    }

    @Test
    void fallsBackToTheExceptionTypeWithoutASqlState() {
        assertThat(JdbcErrors.isRetriable(new SQLTransientConnectionException("pool exhausted"))).isTrue();
        assertThat(JdbcErrors.isRetriable(new SQLSyntaxErrorException("bad"))).isFalse();
        assertThat(JdbcErrors.isRetriable(new SQLException("wrapped", null, new ConnectException("refused")))).isTrue();
    }

    @Test
    void trustsTheSourcesOwnVerdictAndTreatsUnknownFailuresAsPermanent() {
        assertThat(JdbcErrors.isRetriable(JdbcSourceException.retriable("batch not durable", new IllegalStateException()))).isTrue();
        assertThat(JdbcErrors.isRetriable(JdbcSourceException.permanent("column missing"))).isFalse();
        assertThat(JdbcErrors.isRetriable(new IOException("disk full"))).isTrue();
        assertThat(JdbcErrors.isRetriable(new NullPointerException())).isFalse();
    }
}
