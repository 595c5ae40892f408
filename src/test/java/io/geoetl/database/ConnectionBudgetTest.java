package io.geoetl.database;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import com.zaxxer.hikari.HikariDataSource;
import io.geoetl.database.ConnectionBudget.Roles;
import org.junit.jupiter.api.Test;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

class ConnectionBudgetTest {

    /** A size the budget never gives here, to see that an explicit Hikari setting is left as bound. */
    private static final int BOUND_BY_SPRING = 99;

    @Test
    void theDefaultsGiveEighteenForEveryRoleFifteenForAWorkerAndThreeForTheApi() {
        assertThat(ConnectionBudget.size(new Roles(true, true, true, 16, 2))).isEqualTo(18);
        assertThat(ConnectionBudget.size(new Roles(false, true, false, 16, 2))).isEqualTo(15);
        assertThat(ConnectionBudget.size(new Roles(true, false, false, 16, 2))).isEqualTo(3);
    }

    @Test
    void eachHeavyThreadCostsThreeAndEveryFourLightThreadsOne() {
        assertThat(ConnectionBudget.size(new Roles(false, true, false, 16, 1))).isEqualTo(12);
        assertThat(ConnectionBudget.size(new Roles(false, true, false, 17, 2))).isEqualTo(16);
        assertThat(ConnectionBudget.size(new Roles(false, true, false, 4, 0))).isEqualTo(6);
    }

    @Test
    void thePoolTakesTheBudgetOfItsRolesUnlessAPoolSizeIsSet() {
        assertThat(poolSize(Map.of("geoetl.roles.api", "false", "geoetl.roles.ingest", "false",
                "geoetl.engine.light-threads", "8", "geoetl.engine.heavy-threads", "1"))).isEqualTo(1 + 2 + 3 + 4);
        assertThat(poolSize(Map.of("geoetl.database.pool-size", "5"))).isEqualTo(5);
        assertThat(poolSize(Map.of("geoetl.database.pool-size", "0", "spring.datasource.hikari.maximum-pool-size",
                "7"))).isEqualTo(BOUND_BY_SPRING);
    }

    @Test
    void copySlotsAreTheLightTasksShareOfThePoolTheReplicaHas() {
        // The budget's own pool (18 with every role): ceil(16 / 4), the light tasks' term.
        assertThat(copySlots(Map.of())).isEqualTo(4);
        assertThat(copySlots(Map.of("geoetl.engine.light-threads", "8"))).isEqualTo(2);
        // GEOETL_DB_POOL_SIZE=60: the same share of a larger pool, 4 x 60 / 18.
        assertThat(copySlots(Map.of("geoetl.database.pool-size", "60"))).isEqualTo(13);
        // Four connections for every thread of the replica: one COPY at a time.
        assertThat(copySlots(Map.of("geoetl.database.pool-size", "4"))).isEqualTo(1);
        // Never more than the light threads that run them.
        assertThat(copySlots(Map.of("geoetl.database.pool-size", "500"))).isEqualTo(16);
        // Spring's own setting, as bound: 4 x 99 / 18, at most 16.
        assertThat(copySlots(Map.of("spring.datasource.hikari.maximum-pool-size", "99"))).isEqualTo(16);
    }

    @Test
    void copySlotsRoundTheShareToTheNearestAndKeepAtLeastOne() {
        assertThat(ConnectionBudget.copySlots(16, 18, 18)).isEqualTo(4);
        assertThat(ConnectionBudget.copySlots(16, 22, 18)).isEqualTo(5);
        assertThat(ConnectionBudget.copySlots(16, 20, 18)).isEqualTo(4);
        assertThat(ConnectionBudget.copySlots(16, 1, 18)).isEqualTo(1);
        assertThat(ConnectionBudget.copySlots(1, 60, 18)).isEqualTo(1);
    }

    private static int copySlots(Map<String, Object> settings) {
        StandardEnvironment environment = environment(settings);
        try (HikariDataSource hikari = new HikariDataSource()) {
            hikari.setMaximumPoolSize(BOUND_BY_SPRING);
            ConnectionBudget.apply(hikari, environment);
            return ConnectionBudget.copySlots(hikari, environment);
        }
    }

    private static StandardEnvironment environment(Map<String, Object> settings) {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new MapPropertySource("test", settings));
        return environment;
    }

    private static int poolSize(Map<String, Object> settings) {
        StandardEnvironment environment = environment(settings);
        try (HikariDataSource hikari = new HikariDataSource()) {
            hikari.setMaximumPoolSize(BOUND_BY_SPRING);
            ConnectionBudget.apply(hikari, environment);
            return hikari.getMaximumPoolSize();
        }
    }
}
