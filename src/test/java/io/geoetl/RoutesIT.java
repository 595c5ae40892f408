package io.geoetl;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

class RoutesIT extends IntegrationTest {

    @Autowired
    CamelContext camel;

    @Test
    void yamlRoutesLoadWithTheIdsTheReadmeDocuments() {
        assertThat(camel.getRoutes()).extracting(Route::getRouteId).contains("job-queue", "job-enqueue",
                "job-poison", "task-queue", "task-dispatch", "task-poison", "api-submit-job", "api-job-status",
                "api-list-jobs", "api-job-types", "api-job-tasks", "api-health");
        assertThat(camel.getRoute("task-queue").getEndpoint().getEndpointUri())
                .startsWith("azure-storage-queue://geoetl/test-tasks");
        assertThat(camel.getRoute("job-queue").getEndpoint().getEndpointUri())
                .startsWith("azure-storage-queue://geoetl/test-jobs");
    }
}
