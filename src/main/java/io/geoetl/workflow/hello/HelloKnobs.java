package io.geoetl.workflow.hello;

import io.geoetl.workflow.TaskInput;

/** The slowness knobs: sleep_ms for both hello_world stages, hang_attempts for greetings. */
final class HelloKnobs {

    private HelloKnobs() {
    }

    /**
     * A greeting's first {@code hang_attempts} attempts never finish by themselves, like a stuck worker:
     * only an interrupt ends them (the task's maximum duration, or a shutdown handing the task back),
     * or the process dies. Later attempts run at once, so a test can tell which attempt finished a task
     * without guessing how long a sleep must be.
     */
    static void hang(TaskInput input) throws InterruptedException {
        long attempts = ((Number) input.jobParameters().getOrDefault("hang_attempts", 0L)).longValue();
        if (input.attempt() <= attempts) {
            Thread.sleep(Long.MAX_VALUE);
        }
    }

    static void sleep(TaskInput input) throws InterruptedException {
        long millis = ((Number) input.jobParameters().getOrDefault("sleep_ms", 0L)).longValue();
        if (millis > 0) {
            Thread.sleep(millis);
        }
    }
}
