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

    private static int poolSize(Map<String, Object> settings) {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new MapPropertySource("test", settings));
        try (HikariDataSource hikari = new HikariDataSource()) {
            hikari.setMaximumPoolSize(BOUND_BY_SPRING);
            ConnectionBudget.apply(hikari, environment);
            return hikari.getMaximumPoolSize();
        }
    }
}
