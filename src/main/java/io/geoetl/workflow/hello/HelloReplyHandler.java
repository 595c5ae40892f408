package io.geoetl.workflow.hello;

import java.util.Map;

import io.geoetl.error.PermanentTaskException;
import io.geoetl.workflow.PriorTask;
import io.geoetl.workflow.TaskHandler;
import io.geoetl.workflow.TaskInput;
import org.springframework.stereotype.Component;

/** Stage 2 of hello_world: replies to the stage-1 task with the same key (lineage). */
@Component
class HelloReplyHandler implements TaskHandler {

    static final String TYPE = "hello_reply";

    @Override
    public String taskType() {
        return TYPE;
    }

    @Override
    public Map<String, Object> handle(TaskInput input) throws Exception {
        HelloKnobs.sleep(input);
        PriorTask greeting = input.predecessor().orElseThrow(() -> new PermanentTaskException(
                "missing_predecessor", "no stage-1 task with key " + input.key()));
        return Map.of("reply", "Task " + input.taskId() + " saying hello to " + greeting.taskId(),
                "heard", String.valueOf(greeting.result().get("greeting")));
    }
}
