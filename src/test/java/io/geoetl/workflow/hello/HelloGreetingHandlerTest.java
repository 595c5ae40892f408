package io.geoetl.workflow.hello;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import io.geoetl.workflow.TaskInput;
import org.junit.jupiter.api.Test;

class HelloGreetingHandlerTest {

    private final HelloGreetingHandler handler = new HelloGreetingHandler();

    @Test
    void hangAttemptsHoldTheFirstAttemptsUntilInterruptedAndLaterAttemptsRunAtOnce() throws Exception {
        Map<String, Object> job = job();
        job.put("hang_attempts", 1L);
        AtomicReference<Object> outcome = new AtomicReference<>();
        Thread first = new Thread(() -> {
            try {
                outcome.set(handler.handle(input(1, job)));
            } catch (Exception e) {
                outcome.set(e);
            }
        });
        first.start();
        // Asleep inside the handler, and nothing came back: the attempt hangs.
        Instant until = Instant.now().plus(Duration.ofSeconds(60));
        while (first.getState() != Thread.State.TIMED_WAITING && Instant.now().isBefore(until)) {
            Thread.sleep(10);
        }
        assertThat(first.getState()).isEqualTo(Thread.State.TIMED_WAITING);
        assertThat(outcome.get()).isNull();

        first.interrupt();
        first.join(60_000);

        assertThat(first.isAlive()).isFalse();
        assertThat(outcome.get()).isInstanceOf(InterruptedException.class);
        assertThat(handler.handle(input(2, job))).containsEntry("greeting", "Task t-s1-hello_0 says hi");
    }

    @Test
    void withoutHangAttemptsTheFirstAttemptRuns() throws Exception {
        assertThat(handler.handle(input(1, job()))).containsEntry("greeting", "Task t-s1-hello_0 says hi");
    }

    /** A hello_world job's canonical parameters, as the schema completes them. */
    private static Map<String, Object> job() {
        return new HashMap<>(Map.of("n", 1L, "message", "hi", "failure_policy", "fail_fast",
                "max_failure_ratio", 1.0, "fail_keys", List.of(), "fail_attempts", 0L, "fail_permanent", true,
                "sleep_ms", 0L));
    }

    private static TaskInput input(int attempt, Map<String, Object> job) {
        return new TaskInput("t-s1-hello_0", "t", 1, 1, "hello_0", attempt, job, Map.of(), key -> Optional.empty());
    }
}
