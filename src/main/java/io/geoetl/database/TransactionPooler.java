package io.geoetl.database;

import java.util.Arrays;
import java.util.List;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * geoetl behind a transaction-mode pooler (PgBouncer's pool_mode=transaction), set by
 * {@code geoetl.database.pooler=transaction} (GEOETL_DB_POOLER). There every transaction may run on another
 * server connection, so nothing a session remembers can be relied on:
 * <ul>
 * <li>pgjdbc's server-side prepared statements (named after the fifth execution of a statement) live on the
 * server connection that prepared them: {@code prepareThreshold=0} keeps every statement unnamed;</li>
 * <li>the pool's {@code set search_path} (connection-init-sql) would reach one server connection only: it is
 * dropped, and the path must come from the server, a role default (or PgBouncer's connect_query), which
 * {@link #checkSearchPath} verifies before Flyway runs.</li>
 * </ul>
 * Advisory locks are transaction-scoped throughout (the reconciler's included) and nothing LISTENs.
 */
@Configuration(proxyBeanMethods = false)
class TransactionPooler {

    static final String PROPERTY = "geoetl.database.pooler";

    /** Static: a post-processor is created before the beans it processes, so it reads the raw setting. */
    @Bean
    static BeanPostProcessor transactionPoolerDataSource(Environment environment) {
        boolean pooled = behindTransactionPooler(environment);
        return new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String name) {
                // After Spring Boot bound spring.datasource.hikari.*, before the pool opens its first connection.
                if (pooled && bean instanceof HikariDataSource hikari) {
                    hikari.addDataSourceProperty("prepareThreshold", "0");
                    hikari.setConnectionInitSql(null);
                }
                return bean;
            }
        };
    }

    static boolean behindTransactionPooler(Environment environment) {
        String value = Binder.get(environment).bind(PROPERTY, String.class).orElse("none").strip();
        return switch (value) {
            case "transaction" -> true;
            case "none", "" -> false;
            default -> throw new IllegalArgumentException("GEOETL_DB_POOLER must be none or transaction, got: "
                    + value);
        };
    }

    /**
     * Refuses to start when the search_path a fresh statement sees does not begin with geoetl's schema: every
     * unqualified table name would then miss geoetl's tables (or Flyway would create them elsewhere).
     */
    static void checkSearchPath(DataSource dataSource, String schema) {
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        String path = jdbc.queryForObject("select current_setting('search_path')", String.class);
        if (startsWithSchemaThenHasPublic(path, schema)) {
            return;
        }
        String role = jdbc.queryForObject("select current_user", String.class);
        String database = jdbc.queryForObject("select current_database()", String.class);
        throw new IllegalStateException("Behind a transaction pooler (GEOETL_DB_POOLER=transaction) the "
                + "search_path must come from the server, and here it is \"" + path + "\". Run, as this role or a "
                + "superuser: alter role " + Schemas.quote(role) + " in database " + Schemas.quote(database)
                + " set search_path = " + Schemas.quote(schema) + ", public; then let the pooler open new server "
                + "connections (PgBouncer: RECONNECT on its admin console, or a restart).");
    }

    /** {@code geoetl, public} or {@code "geoetl", "$user", public}: the schema first, public somewhere after it. */
    static boolean startsWithSchemaThenHasPublic(String searchPath, String schema) {
        List<String> schemas = Arrays.stream(searchPath.split(",")).map(String::strip)
                .map(name -> name.length() > 1 && name.startsWith("\"") && name.endsWith("\"")
                        ? name.substring(1, name.length() - 1).replace("\"\"", "\"") : name)
                .toList();
        return schemas.get(0).equals(schema) && schemas.contains("public");
    }
}
