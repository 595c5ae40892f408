package io.geoetl.workflow.hello;

import java.util.List;
import java.util.Map;

import io.geoetl.error.PermanentTaskException;
import io.geoetl.error.TransientTaskException;
import io.geoetl.workflow.TaskHandler;
import io.geoetl.workflow.TaskInput;
import org.springframework.stereotype.Component;

/** Stage 1 of hello_world: a greeting, with the job's failure, hang and sleep knobs applied. */
@Component
class HelloGreetingHandler implements TaskHandler {

    static final String TYPE = "hello_greet";

    @Override
    public String taskType() {
        return TYPE;
    }

    @Override
    public Map<String, Object> handle(TaskInput input) throws Exception {
        HelloKnobs.hang(input);
        HelloKnobs.sleep(input);
        Map<String, Object> job = input.jobParameters();
        List<?> failKeys = (List<?>) job.getOrDefault("fail_keys", List.of());
        long failAttempts = ((Number) job.getOrDefault("fail_attempts", 0L)).longValue();
        if (failKeys.contains(input.key()) && (failAttempts == 0 || input.attempt() <= failAttempts)) {
            String message = "injected failure of " + input.key() + " at attempt " + input.attempt();
            if (Boolean.TRUE.equals(job.get("fail_permanent"))) {
                throw new PermanentTaskException("injected_failure", message);
            }
            throw new TransientTaskException("injected_failure", message);
        }
        return Map.of("greeting", "Task " + input.taskId() + " says " + job.get("message"));
    }
}
