package io.geoetl.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import io.geoetl.config.IngestProperties;
import io.geoetl.config.StorageProperties;
import io.geoetl.config.VectorProperties;
import io.geoetl.error.BadRequestException;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.ConfigDataApplicationContextInitializer;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.ContextConsumer;
import org.springframework.context.annotation.Import;

/**
 * The places job parameters may name, bound from application.yaml and the environment variables it
 * reads, as the service binds them (no database or storage needed).
 */
class AllowedPlacesTest {

    @EnableConfigurationProperties({StorageProperties.class, VectorProperties.class, IngestProperties.class})
    @Import(AllowedPlaces.class)
    static class Settings {
    }

    private final ApplicationContextRunner service = new ApplicationContextRunner()
            .withInitializer(new ConfigDataApplicationContextInitializer()).withUserConfiguration(Settings.class);

    @Test
    void byDefaultJobsReadBronzeAndWriteToGeoOnly() {
        service.run(context -> {
            AllowedPlaces places = context.getBean(AllowedPlaces.class);
            ParameterSchema schema = ParameterSchema.of(places.containerField("read from"),
                    places.dataSchemaField("write to"));

            assertThat(schema.canonicalize(Map.of())).containsEntry("container", "bronze")
                    .containsEntry("target_schema", "geo");
            assertRefused(schema, Map.of("target_schema", "public"), "target_schema", "[geo]");
            assertRefused(schema, Map.of("container", "silver"), "container", "[bronze]");
        });
    }

    @Test
    void everySchemaOfTheServiceOrOfPostgresqlIsRefusedWhateverTheDefaults() {
        service.run(context -> {
            ParameterSchema schema = ParameterSchema.of(context.getBean(AllowedPlaces.class)
                    .dataSchemaField("write to"));
            for (String reserved : new String[] {"geoetl", "geoetl_staging", "public", "pg_catalog",
                "information_schema"}) {
                assertRefused(schema, Map.of("target_schema", reserved), "target_schema", "[geo]");
            }
        });
    }

    @Test
    void theEnvironmentListsFurtherSchemasAndContainersTheFirstSchemaBeingTheDefault() {
        service.withPropertyValues("GEOETL_DATA_SCHEMAS=analytics, geo", "GEOETL_INPUT_CONTAINERS=bronze,landing")
                .run(context -> {
                    AllowedPlaces places = context.getBean(AllowedPlaces.class);
                    ParameterSchema schema = ParameterSchema.of(places.containerField("read from"),
                            places.dataSchemaField("write to"));

                    assertThat(schema.canonicalize(Map.of())).containsEntry("container", "bronze")
                            .containsEntry("target_schema", "analytics");
                    assertThat(schema.canonicalize(Map.of("container", "landing", "target_schema", "geo")))
                            .containsEntry("container", "landing").containsEntry("target_schema", "geo");
                    assertRefused(schema, Map.of("container", "other"), "container", "[bronze, landing]");
                });
    }

    @Test
    void defaultContainerFollowsTheBronzeContainerSetting() {
        service.withPropertyValues("GEOETL_BRONZE_CONTAINER=raw").run(context -> {
            ParameterSchema schema = ParameterSchema.of(context.getBean(AllowedPlaces.class)
                    .containerField("read from"));

            assertThat(schema.canonicalize(Map.of())).containsEntry("container", "raw");
            assertRefused(schema, Map.of("container", "bronze"), "container", "[raw]");
        });
    }

    @Test
    void signsOnlyTheInputContainersAndSilver() {
        service.withPropertyValues("GEOETL_INPUT_CONTAINERS=bronze,landing").run(context -> {
            AllowedPlaces places = context.getBean(AllowedPlaces.class);

            assertThat(places.signable("bronze")).isTrue();
            assertThat(places.signable("landing")).isTrue();
            assertThat(places.signable("silver")).isTrue();
            assertThat(places.signable("private")).isFalse();
        });
    }

    @Test
    void refusesToStartWhenADataSchemaIsTheServicesOwn() {
        service.withPropertyValues("GEOETL_DATA_SCHEMAS=geo,geoetl").run(refused("GEOETL_DATA_SCHEMAS",
                "geoetl's own schema geoetl"));
        service.withPropertyValues("geoetl.database.schema=etl_state", "GEOETL_DATA_SCHEMAS=geo,etl_state")
                .run(refused("GEOETL_DATA_SCHEMAS", "geoetl's own schema etl_state"));
        service.withPropertyValues("GEOETL_DATA_SCHEMAS=geoetl_staging").run(refused("GEOETL_DATA_SCHEMAS",
                "the staging schema geoetl_staging"));
    }

    @Test
    void refusesToStartWhenADataSchemaBelongsToPostgresql() {
        for (String schema : new String[] {"public", "PUBLIC", "information_schema", "pg_catalog", "pg_temp_3"}) {
            service.withPropertyValues("GEOETL_DATA_SCHEMAS=geo," + schema).run(refused("GEOETL_DATA_SCHEMAS",
                    schema));
        }
        service.withPropertyValues("GEOETL_DATA_SCHEMAS=").run(refused("GEOETL_DATA_SCHEMAS", "names none"));
    }

    @Test
    void refusesToStartWhenTheOutputContainerIsAnInputContainer() {
        service.withPropertyValues("GEOETL_INPUT_CONTAINERS=bronze,silver").run(refused("GEOETL_INPUT_CONTAINERS",
                "the output container silver"));
        service.withPropertyValues("GEOETL_SILVER_CONTAINER=gold", "GEOETL_INPUT_CONTAINERS=bronze,gold")
                .run(refused("GEOETL_INPUT_CONTAINERS", "the output container gold"));
    }

    @Test
    void refusesToStartWhenTheIngestOrBronzeContainerIsNotAnInputContainer() {
        service.withPropertyValues("GEOETL_INGEST_CONTAINER=landing").run(refused("GEOETL_INGEST_CONTAINER",
                "landing is not one of the input containers [bronze]"));
        service.withPropertyValues("GEOETL_INPUT_CONTAINERS=landing", "GEOETL_INGEST_CONTAINER=landing")
                .run(refused("GEOETL_INPUT_CONTAINERS", "the bronze container bronze"));
    }

    private static ContextConsumer<AssertableApplicationContext> refused(String setting, String reason) {
        return context -> assertThat(context).getFailure().rootCause().isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(setting).hasMessageContaining(reason);
    }

    private static void assertRefused(ParameterSchema schema, Map<String, Object> parameters, String field,
            String allowed) {
        assertThatThrownBy(() -> schema.canonicalize(parameters)).isInstanceOf(BadRequestException.class)
                .hasMessageContaining("'" + field + "'").hasMessageContaining(allowed)
                .satisfies(error -> {
                    assertThat(((BadRequestException) error).code()).isEqualTo("invalid_parameter");
                    assertThat(((BadRequestException) error).details()).containsEntry("field", field);
                });
    }
}
