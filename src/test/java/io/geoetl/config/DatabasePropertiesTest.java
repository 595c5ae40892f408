package io.geoetl.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

class DatabasePropertiesTest {

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(DatabaseProperties.class)
    static class Binding {
    }

    private final ApplicationContextRunner context = new ApplicationContextRunner()
            .withUserConfiguration(Binding.class);

    @Test
    void acceptsAPlainLowerCaseIdentifier() {
        assertThat(new DatabaseProperties("geoetl").schema()).isEqualTo("geoetl");
        assertThat(new DatabaseProperties("etl_state_2").schema()).isEqualTo("etl_state_2");
    }

    @Test
    void refusesSchemasSharedWithPostgresqlPostgisAndOthers() {
        for (String shared : new String[] {"public", "information_schema", "pg_catalog", "pg_temp"}) {
            assertThatThrownBy(() -> new DatabaseProperties(shared)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("GEOETL_DB_SCHEMA").hasMessageContaining("own")
                    .hasMessageContaining(shared);
        }
    }

    @Test
    void refusesWhatIsNotAPlainIdentifier() {
        for (String odd : new String[] {"", "Geoetl", "1geoetl", "geo-etl", "geoetl; drop table job", "a".repeat(64)}) {
            assertThatThrownBy(() -> new DatabaseProperties(odd)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("plain lower-case identifier");
        }
        assertThatThrownBy(() -> new DatabaseProperties(null)).hasMessageContaining("plain lower-case identifier");
    }

    @Test
    void startUpFailsNamingTheSettingWhenTheSchemaIsPublic() {
        context.withPropertyValues("geoetl.database.schema=public").run(started -> assertThat(started)
                .getFailure().rootCause().hasMessageContaining("GEOETL_DB_SCHEMA must name a schema of geoetl's own"));
    }

    @Test
    void startsWithAnotherSchemaName() {
        context.withPropertyValues("geoetl.database.schema=etl_state").run(started -> assertThat(started
                .getBean(DatabaseProperties.class).schema()).isEqualTo("etl_state"));
    }
}
