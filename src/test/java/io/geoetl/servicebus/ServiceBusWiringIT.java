package io.geoetl.servicebus;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import io.geoetl.orchestration.JobSubmitter;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.model.FromDefinition;
import org.apache.camel.model.ModelCamelContext;
import org.apache.camel.model.ProcessorDefinition;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.model.SendDefinition;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.apache.camel.test.spring.junit5.DisableJmx;
import org.apache.camel.test.spring.junit5.UseAdviceWith;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ActiveProfiles;

/**
 * The servicebus profile on the same routes. No Service Bus emulator runs here, so: (1) with the
 * profile on, every queue route's endpoint resolves to azure-servicebus with the expected options;
 * (2) a job runs end to end through those same routes with the Service Bus consumers replaced by
 * direct: endpoints and the sends diverted to them. Its own database (geoetl_sb), so that no other
 * test context's workers touch its job.
 */
@CamelSpringBootTest
// Not the default (JMX off for the whole JVM): the shared test context keeps its MBeans for MetricsIT.
@DisableJmx(false)
@UseAdviceWith
@SpringBootTest(properties = {
        "spring.datasource.url=jdbc:postgresql://127.0.0.1:5432/${GEOETL_TEST_DB_PREFIX:geoetl_}sb",
        "geoetl.roles.ingest=false",
        // The shared test context owns the JMX names (MetricsIT reads them): this one registers none.
        "camel.main.jmx-enabled=false",
        "camel.component.azure-servicebus.connection-string=Endpoint=sb://geoetl-wiring.servicebus.windows.net/;"
                + "SharedAccessKeyName=wiring;SharedAccessKey=bm90LWEta2V5"})
@ActiveProfiles({"test", "servicebus"})
// Its own context, used by no other class: closed after it, so that its connection pool (24) is not held
// for the rest of the suite beside the shared context and the process tests' service JVMs (ChaosIT ran
// out of PostgreSQL's 100 connections with it cached).
@DirtiesContext
class ServiceBusWiringIT {

    @Autowired
    CamelContext camel;

    @Autowired
    JobSubmitter submitter;

    @Autowired
    JdbcTemplate jdbc;

    private final AtomicInteger tasksDelivered = new AtomicInteger();

    @Test
    void theSameRoutesRunOverServiceBusEndpoints() throws Exception {
        assertThat(input("job-queue")).startsWith("azure-servicebus:test-jobs?").contains(
                "serviceBusReceiveMode=PEEK_LOCK", "maxAutoLockRenewDuration=");
        assertThat(input("task-queue")).startsWith("azure-servicebus:test-tasks?").contains(
                "serviceBusReceiveMode=PEEK_LOCK", "maxConcurrentCalls=32", "maxAutoLockRenewDuration=");
        assertThat(output("job-enqueue")).startsWith("azure-servicebus:test-jobs?");
        assertThat(output("job-poison")).startsWith("azure-servicebus:test-jobs-poison?");
        assertThat(output("task-dispatch")).startsWith("azure-servicebus:test-tasks?");
        assertThat(output("task-poison")).startsWith("azure-servicebus:test-tasks-poison?");
        // Batched sends: task-dispatch hands Service Bus lists of messages, not one message per send.
        assertThat(camel.resolvePropertyPlaceholders("{{geoetl.endpoints.dispatch-split}}"))
                .isEqualTo("$simple{collate(25)}");

        // Consumers become direct: endpoints; sends to Service Bus go to them through seda (asynchronous
        // like a broker, so no task runs inside the transaction that sent it).
        AdviceWith.adviceWith(camel, "job-queue", route -> route.replaceFromWith("direct:bus-jobs"));
        AdviceWith.adviceWith(camel, "task-queue", route -> route.replaceFromWith("direct:bus-tasks"));
        for (String sender : new String[] {"job-enqueue", "task-dispatch", "job-poison", "task-poison"}) {
            AdviceWith.adviceWith(camel, sender, route -> {
                route.interceptSendToEndpoint("azure-servicebus:(//)?test-(jobs|tasks)-poison\\?.*")
                        .skipSendToOriginalEndpoint().to("seda:bus-poison");
                route.interceptSendToEndpoint("azure-servicebus:(//)?test-jobs\\?.*").skipSendToOriginalEndpoint()
                        .to("seda:bus-jobs");
                route.interceptSendToEndpoint("azure-servicebus:(//)?test-tasks\\?.*").skipSendToOriginalEndpoint()
                        .to("seda:bus-tasks");
            });
        }
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("seda:bus-jobs").routeId("test-bus-jobs").to("direct:bus-jobs");
                // A batch (a list) is what Service Bus would receive as separate messages.
                from("seda:bus-tasks?concurrentConsumers=4").routeId("test-bus-tasks").split(body())
                        .process(exchange -> tasksDelivered.incrementAndGet()).to("direct:bus-tasks");
            }
        });
        camel.start();

        String jobId = submitter.submit("hello_world", Map.of("n", 30, "message", "servicebus wiring " + Instant.now()))
                .job().jobId();

        Instant until = Instant.now().plus(Duration.ofSeconds(120));
        String status;
        do {
            Thread.sleep(50);
            status = jdbc.queryForObject("select status from job where job_id = ?", String.class, jobId);
        } while (("queued".equals(status) || "processing".equals(status)) && Instant.now().isBefore(until));
        assertThat(status).isEqualTo("completed");
        assertThat(jdbc.queryForObject("select count(*) from task where job_id = ? and status = 'completed'",
                Integer.class, jobId)).isEqualTo(60);
        // Every task message went out through the diverted Service Bus sends into the direct: consumer; the
        // database is this context's own, so its task-queue route ran them.
        assertThat(tasksDelivered.get()).isGreaterThanOrEqualTo(60);
        assertThat(definition("task-queue").getInput().getEndpointUri()).isEqualTo("direct:bus-tasks");
    }

    private String input(String routeId) {
        FromDefinition from = definition(routeId).getInput();
        return camel.resolvePropertyPlaceholders(from.getEndpointUri());
    }

    private String output(String routeId) {
        RouteDefinition route = definition(routeId);
        return camel.resolvePropertyPlaceholders(route.getOutputs().stream().flatMap(this::sends)
                .findFirst().orElseThrow().getEndpointUri());
    }

    private Stream<SendDefinition<?>> sends(ProcessorDefinition<?> step) {
        Stream<SendDefinition<?>> own = step instanceof SendDefinition<?> send
                ? Stream.of(send) : Stream.empty();
        return Stream.concat(own, step.getOutputs().stream().flatMap(this::sends));
    }

    private RouteDefinition definition(String routeId) {
        return ((ModelCamelContext) camel).getRouteDefinition(routeId);
    }
}
