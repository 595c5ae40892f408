package io.geoetl.vector;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.DataRetrievalFailureException;
import org.springframework.jdbc.BadSqlGrammarException;

class ChunkLoaderTest {

    @Test
    void aValueTheColumnCannotHoldFailsPermanentlyNamingRowColumnAndReason() {
        // PostgreSQL's error fields as they arrive on the wire: severity, SQLSTATE, message, detail, where.
        ServerErrorMessage server = new ServerErrorMessage("SERROR\0C22003\0Mnumeric field overflow\0"
                + "DA field with precision 24, scale 15 must round to an absolute value less than 10^9.\0"
                + "WCOPY s_1a60677a55e9a6dd, line 99, column pop_est: \"1379302771.000\"\0");
        DataIntegrityViolationException error = new DataIntegrityViolationException("ConnectionCallback",
                new PSQLException(server));

        assertThat(ChunkLoader.permanentFailure(error, 10_000)).hasValueSatisfying(refused -> {
            assertThat(refused.code()).isEqualTo("invalid_value");
            assertThat(refused.retryable()).isFalse();
            assertThat(refused.getMessage()).isEqualTo("PostgreSQL refused the row that would have had fid 10099 "
                    + "(column pop_est): numeric field overflow. A field with precision 24, scale 15 must round to "
                    + "an absolute value less than 10^9.");
        });
    }

    @Test
    void aStagingTableTheSweepRemovedFailsPermanentlyWithTheRemedy() {
        ServerErrorMessage missing = new ServerErrorMessage("SERROR\0C42P01\0Mrelation \"geoetl_staging.s_0123456789abcdef_"
                + "chunks\" does not exist\0");

        assertThat(ChunkLoader.permanentFailure(new BadSqlGrammarException("ConnectionCallback", "",
                new PSQLException(missing)), 0)).hasValueSatisfying(removed -> {
                    assertThat(removed.code()).isEqualTo("staging_removed");
                    assertThat(removed.getMessage()).contains("resubmit the job");
                });
    }

    @Test
    void otherDatabaseErrorsAreLeftToTheRetryRules() {
        ServerErrorMessage lost = new ServerErrorMessage("SFATAL\0C57P01\0Mterminating connection\0");
        assertThat(ChunkLoader.permanentFailure(new DataRetrievalFailureException("x", new PSQLException(lost)), 0))
                .isEmpty();
    }
}
