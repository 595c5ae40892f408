package io.geoetl.workflow.hello;

import io.geoetl.workflow.TaskInput;

/** The sleep knob shared by both hello_world stages. */
final class HelloKnobs {

    private HelloKnobs() {
    }

    static void sleep(TaskInput input) throws InterruptedException {
        long millis = ((Number) input.jobParameters().getOrDefault("sleep_ms", 0L)).longValue();
        if (millis > 0) {
            Thread.sleep(millis);
        }
    }
}
