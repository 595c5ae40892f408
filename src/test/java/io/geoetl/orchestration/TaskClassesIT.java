package io.geoetl.orchestration;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import io.geoetl.IntegrationTest;
import io.geoetl.config.EngineProperties;
import io.geoetl.workflow.probe.PoolProbeWorkflow;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** Heavy tasks are bounded by their own pool and never starve light tasks. */
class TaskClassesIT extends IntegrationTest {

    @Autowired
    EngineProperties engine;

    @Test
    void lightJobCompletesWhileTheHeavyPoolIsSaturatedAndHeavyWorkStaysWithinItsLimit() {
        PoolProbeWorkflow.MOST_AT_ONCE.set(0);
        String heavy = submit("pool_probe", "{\"n\": 6, \"sleep_ms\": 2500, \"message\": \"" + unique("heavy")
                + "\"}");
        await(() -> PoolProbeWorkflow.RUNNING.get() == engine.heavyThreads(), Duration.ofSeconds(20),
                "the heavy pool to fill");

        String light = submit("hello_world", "{\"n\": 5, \"message\": \"" + unique("light") + "\"}");

        assertThat(awaitEnded(light, Duration.ofSeconds(20)).get("status")).isEqualTo("completed");
        assertThat(get("/api/jobs/status/" + heavy).body().get("status")).isEqualTo("processing");
        assertThat(awaitEnded(heavy, Duration.ofSeconds(60)).get("status")).isEqualTo("completed");
        assertThat(PoolProbeWorkflow.MOST_AT_ONCE.get()).isEqualTo(engine.heavyThreads());
    }
}
