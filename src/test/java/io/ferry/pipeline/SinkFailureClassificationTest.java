package io.ferry.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;

import org.junit.jupiter.api.Test;

import io.ferry.kernel.Failure;


/**
 * Which sink failures fail the run (to be tried again by the next run) and which ones are about the rows (narrowed
 * down row by row, the refused rows dead-lettered). A lost connection must never dead-letter good rows.
 */
class SinkFailureClassificationTest {

    private static RuntimeException wrapped(Throwable cause) {
        // how camel-sql's Spring JdbcTemplate hands a driver's exception on
        return new RuntimeException("PreparedStatementCallback; uncategorized SQLException", cause);
    }

    @Test
    void aConnectionLostUnderABatchIsTransient() {
        assertThat(Failure.of(wrapped(new SQLException("Connection is closed")))).isEqualTo(Failure.TRANSIENT);
        assertThat(Failure.of(wrapped(new SQLException("No operations allowed after connection closed.", "08003")))).isEqualTo(Failure.TRANSIENT);
        assertThat(Failure.of(wrapped(new SQLException("Communications link failure", "08S01")))).isEqualTo(Failure.TRANSIENT);
        assertThat(Failure.of(wrapped(new SQLException("Deadlock found when trying to get lock", "40001")))).isEqualTo(Failure.TRANSIENT);
    }

    @Test
    void aRowTheDatabaseRefusesIsNot() {
        assertThat(Failure.of(wrapped(new SQLException("Data too long for column 'shop_name' at row 1", "22001")))).isEqualTo(Failure.REJECTED_ROW);
        assertThat(Failure.of(wrapped(new SQLIntegrityConstraintViolationException("Column 'shop_id' cannot be null", "23000"))))
                .isEqualTo(Failure.REJECTED_ROW);
        assertThat(Failure.of(wrapped(new SQLException("Incorrect datetime value: 'soon'", "22007")))).isEqualTo(Failure.REJECTED_ROW);
    }
}
