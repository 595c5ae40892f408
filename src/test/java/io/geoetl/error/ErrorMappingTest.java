package io.geoetl.error;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;

import org.junit.jupiter.api.Test;
import org.springframework.jdbc.BadSqlGrammarException;

class ErrorMappingTest {

    @Test
    void aDatabaseErrorIsDescribedByTheDatabasesMessageNotSpringsCallbackName() {
        BadSqlGrammarException error = new BadSqlGrammarException("ConnectionCallback", "",
                new SQLException("ERROR: column \"geom\" specified more than once", "42701"));

        assertThat(ErrorMapping.describe(error))
                .isEqualTo("BadSqlGrammarException: ERROR: column \"geom\" specified more than once");
        assertThat(ErrorMapping.taskError(error)).containsEntry("retryable", false);
    }

    @Test
    void ourOwnErrorsKeepTheirMessage() {
        assertThat(ErrorMapping.describe(new PermanentTaskException("no_features", "the layer has no feature")))
                .isEqualTo("the layer has no feature");
    }
}
