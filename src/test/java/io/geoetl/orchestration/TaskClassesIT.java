package io.geoetl.orchestration;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import io.geoetl.IntegrationTest;
import io.geoetl.config.EngineProperties;
import io.geoetl.workflow.probe.ProbeGates;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** Heavy tasks are bounded by their own pool and never starve light tasks. */
class TaskClassesIT extends IntegrationTest {

    @Autowired
    EngineProperties engine;

    @Autowired
    ProbeGates gates;

    @Test
    void lightJobCompletesWhileTheHeavyPoolIsSaturatedAndHeavyWorkStaysWithinItsLimit() {
        try (ProbeGates.Gate gate = gates.create(unique("heavy"))) {
            // Six heavy tasks that cannot end before the gate opens: the heavy pool stays full until then.
            String heavy = submit("pool_probe", "{\"n\": 6, \"gate\": \"" + gate.name() + "\"}");
            await(() -> gate.waiting() == engine.heavyThreads(), Duration.ofSeconds(120), "the heavy pool to fill");

            String light = submit("hello_world", "{\"n\": 5, \"message\": \"" + unique("light") + "\"}");

            assertThat(awaitEnded(light, Duration.ofSeconds(120)).get("status")).isEqualTo("completed");
            assertThat(get("/api/jobs/status/" + heavy).body().get("status")).isEqualTo("processing");
            // The other heavy messages kept coming back while the pool was full, and none was let in.
            assertThat(gate.arrived()).isEqualTo(engine.heavyThreads());
            assertThat(jdbc.queryForObject("select count(*) from task where job_id = ? and status = 'processing'",
                    Integer.class, heavy)).isEqualTo(engine.heavyThreads());

            gate.open();

            assertThat(awaitEnded(heavy, Duration.ofSeconds(120)).get("status")).isEqualTo("completed");
            assertThat(gate.arrived()).isEqualTo(6);
            assertThat(gate.mostAtOnce()).isEqualTo(engine.heavyThreads());
        }
    }
}
