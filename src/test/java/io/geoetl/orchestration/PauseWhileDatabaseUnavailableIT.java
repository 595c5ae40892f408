package io.geoetl.orchestration;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import com.zaxxer.hikari.HikariDataSource;
import io.geoetl.Await;
import io.geoetl.TestDatabases;
import io.geoetl.database.DatabaseAvailability;
import org.apache.camel.Consumer;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.StatefulService;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.seda.SedaEndpoint;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultConsumer;
import org.apache.camel.support.DefaultEndpoint;
import org.junit.jupiter.api.Test;

/**
 * The job and task consumers take no message while the database is away, on both transports: a pushing consumer
 * (Service Bus's kind, which Camel cannot suspend) is stopped and started again, a polled one (Storage Queue's
 * kind, seda here) is suspended and resumed. The database really goes away: its connection limit drops to 0 and
 * its sessions are ended, then it comes back.
 */
class PauseWhileDatabaseUnavailableIT {

    @Test
    void consumersStopTakingMessagesWhileTheDatabaseIsAwayAndTakeThemAgainOnceItIsBack() throws Exception {
        String database = TestDatabases.name("pause");
        TestDatabases.asSuperuser("postgres", "drop database if exists " + database + " with (force)");
        TestDatabases.asSuperuser("postgres", "create database " + database + " owner geoetl");
        List<Object> received = new CopyOnWriteArrayList<>();
        PushEndpoint broker = new PushEndpoint();
        try (HikariDataSource pool = new HikariDataSource();
                DefaultCamelContext camel = new DefaultCamelContext()) {
            pool.setJdbcUrl(TestDatabases.jdbcUrl("pause"));
            pool.setUsername("geoetl");
            pool.setPassword("geoetl");
            pool.setMaximumPoolSize(2);
            pool.setConnectionTimeout(2_000);
            DatabaseAvailability availability = new DatabaseAvailability(pool);
            availability.afterSingletonsInstantiated();
            pool.getConnection().close();
            // Never draining here (drain runs as its context closes): the engine settings are drain's alone.
            PauseWhileDatabaseUnavailable policy = new PauseWhileDatabaseUnavailable(availability,
                    new RunningTasks(null, camel));
            broker.setCamelContext(camel);
            camel.getRegistry().bind("broker", broker);
            camel.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from(broker).routeId("pushed").routePolicy(policy).process(exchange -> received.add(exchange
                            .getMessage().getBody()));
                    from("seda:polled").routeId("polled").routePolicy(policy).process(exchange -> received.add(
                            exchange.getMessage().getBody()));
                }
            });
            camel.start();
            SedaEndpoint polled = camel.getEndpoint("seda:polled", SedaEndpoint.class);

            assertThat(broker.push("pushed while available")).isTrue();
            camel.createProducerTemplate().sendBody(polled, "polled while available");
            Await.until(() -> received.size() == 2, "both messages");

            TestDatabases.asSuperuser("postgres", "alter database " + database + " connection limit 0");
            TestDatabases.asSuperuser("postgres", "select pg_terminate_backend(pid) from pg_stat_activity where "
                    + "datname = '" + database + "'");
            // The pool learns its connections died when it next uses them; evicting them is that moment.
            pool.getHikariPoolMXBean().softEvictConnections();

            Await.until(() -> !availability.available(), "the database to be unavailable");
            StatefulService pushed = (StatefulService) camel.getRoute("pushed").getConsumer();
            StatefulService polledConsumer = (StatefulService) camel.getRoute("polled").getConsumer();
            Await.until(() -> pushed.isStopped() && polledConsumer.isSuspended(), "both consumers to pause");
            // The broker keeps what no consumer takes. (A poll already under way when the consumer was suspended
            // may still take a message; the real polled consumers' poll strategies also skip polls meanwhile.)
            assertThat(broker.push("pushed while away")).isFalse();
            camel.createProducerTemplate().sendBody(polled, "polled while away");

            TestDatabases.asSuperuser("postgres", "alter database " + database + " connection limit -1");

            Await.until(availability::available, "the database to be back");
            Await.until(() -> pushed.isStarted() && polledConsumer.isStarted(),
                    "both consumers to take messages again");
            Await.until(() -> received.size() == 3, "the message sent to the polled queue while away");
            assertThat(broker.push("pushed once back")).isTrue();
            assertThat(received).containsExactly("pushed while available", "polled while available",
                    "polled while away", "pushed once back");
            availability.stop();
        } finally {
            TestDatabases.asSuperuser("postgres", "drop database if exists " + database + " with (force)");
        }
    }


    /** A broker that pushes each message to its consumer, as Service Bus does, and only while one is started. */
    private static final class PushEndpoint extends DefaultEndpoint {

        private volatile PushConsumer consumer;

        @Override
        protected String createEndpointUri() {
            return "push:broker";
        }

        @Override
        public Producer createProducer() {
            throw new UnsupportedOperationException("the test pushes through push()");
        }

        @Override
        public Consumer createConsumer(Processor processor) {
            consumer = new PushConsumer(this, processor);
            return consumer;
        }

        /** True when a started consumer took the message. */
        boolean push(Object body) throws Exception {
            PushConsumer current = consumer;
            if (current == null || !current.isStarted()) {
                return false;
            }
            Exchange exchange = createExchange();
            exchange.getMessage().setBody(body);
            current.getProcessor().process(exchange);
            return true;
        }
    }

    /** Like Camel's Service Bus consumer: a plain DefaultConsumer, not Suspendable. */
    private static final class PushConsumer extends DefaultConsumer {

        PushConsumer(PushEndpoint endpoint, Processor processor) {
            super(endpoint, processor);
        }
    }
}
