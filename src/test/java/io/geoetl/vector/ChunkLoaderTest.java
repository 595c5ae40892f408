package io.geoetl.vector;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import io.geoetl.config.VectorProperties;
import org.junit.jupiter.api.Test;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.DataRetrievalFailureException;
import org.springframework.jdbc.BadSqlGrammarException;

class ChunkLoaderTest {

    @Test
    void aChunkInterruptedWhileWaitingForACopySlotEndsWithTheInterruptSoTheWorkerSeesItsDeadline() throws Exception {
        CopySlots slots = new CopySlots(1);
        slots.acquire();
        // No blob store, database or transaction: a chunk waiting for its slot must not reach them.
        ChunkLoader loader = new ChunkLoader(null, null, new VectorProperties(1, 1, "geoetl_staging", Duration.ZERO,
                List.of("geo"), 1024), null, null, slots);
        AtomicReference<Object> outcome = new AtomicReference<>();
        Thread chunk = new Thread(() -> {
            try {
                outcome.set(loader.load("0123456789abcdef0123456789abcdef", Map.of("copy_columns", List.of("name"),
                        "fid_column", "ogc_fid"), Map.of("key", "chunk_0", "after_fid", 0L, "to_fid", 10L)));
            } catch (Exception e) {
                outcome.set(e);
            }
        });
        chunk.start();
        // Parked in the slot's queue behind the COPY that holds it.
        Instant until = Instant.now().plus(Duration.ofSeconds(60));
        while (chunk.getState() != Thread.State.WAITING && Instant.now().isBefore(until)) {
            Thread.sleep(10);
        }
        assertThat(chunk.getState()).isEqualTo(Thread.State.WAITING);

        chunk.interrupt();
        chunk.join(60_000);

        assertThat(chunk.isAlive()).isFalse();
        assertThat(outcome.get()).isInstanceOf(InterruptedException.class);
    }

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
        ServerErrorMessage missing = new ServerErrorMessage("SERROR\0C42P01\0Mrelation "
                + "\"geoetl_staging.s_0123456789abcdef_chunks\" does not exist\0");

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
