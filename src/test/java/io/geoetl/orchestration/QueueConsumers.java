package io.geoetl.orchestration;

import java.util.List;

import org.apache.camel.CamelContext;
import org.apache.camel.Route;

/** Test helper: stops and starts the shared context's queue consumer routes (the second worker's too). */
final class QueueConsumers {

    private QueueConsumers() {
    }

    /** Stops the consumers of the queue whose name ends with {@code queueSuffix} ("-tasks", "-jobs"). */
    static void stop(CamelContext camel, String queueSuffix) throws Exception {
        for (String id : routeIds(camel)) {
            if (camel.getRoute(id).getEndpoint().getEndpointUri().contains(queueSuffix + "?")) {
                camel.getRouteController().stopRoute(id);
            }
        }
    }

    static void startAll(CamelContext camel) throws Exception {
        for (String id : routeIds(camel)) {
            camel.getRouteController().startRoute(id);
        }
    }

    private static List<String> routeIds(CamelContext camel) {
        return camel.getRoutes().stream().filter(route -> route.getEndpoint().getEndpointUri()
                .startsWith("azure-storage-queue:")).map(Route::getRouteId).toList();
    }
}
