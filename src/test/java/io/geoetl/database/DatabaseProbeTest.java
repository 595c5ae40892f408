package io.geoetl.database;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessResourceFailureException;

/** Which refusals a replica waits out (the server is full, down, starting or stopping) and which fail it. */
class DatabaseProbeTest {

    @Test
    void lackOfRoomUnreachableAndShutdownsAreWaitedOut() {
        for (String state : new String[] {"53300", "53000", "08001", "08006", "57P01", "57P02", "57P03", "57P05"}) {
            assertThat(DatabaseProbe.isConnectionProblem(new SQLException("refused", state))).as(state).isTrue();
        }
        assertThat(DatabaseProbe.isConnectionProblem(new SQLTransientConnectionException("pool timed out"))).isTrue();
        // Wrapped, as Spring and Flyway hand it over.
        assertThat(DatabaseProbe.isConnectionProblem(new DataAccessResourceFailureException("wrapped",
                new SQLException("too many connections", "53300")))).isTrue();
    }

    @Test
    void settingsToFixAreNotWaitedOut() {
        // A missing database, a wrong password, a pg_hba rule, a database dropped under a running replica's feet,
        // one that does not accept connections: start-up fails and says why.
        for (String state : new String[] {"3D000", "28P01", "28000", "57P04", "55000", "42501"}) {
            assertThat(DatabaseProbe.isConnectionProblem(new SQLException("refused", state))).as(state).isFalse();
        }
        assertThat(DatabaseProbe.isConnectionProblem(new IllegalStateException("no SQL state"))).isFalse();
    }
}
