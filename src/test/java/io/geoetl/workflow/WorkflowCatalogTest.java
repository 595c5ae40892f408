package io.geoetl.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import io.geoetl.error.BadRequestException;
import org.junit.jupiter.api.Test;

class WorkflowCatalogTest {

    @Test
    void refusesTwoWorkflowsWithTheSameJobType() {
        assertThatThrownBy(() -> new WorkflowCatalog(List.of(workflow("a", "t"), workflow("a", "t")),
                List.of(handler("t")))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("job type 'a' is provided twice");
    }

    @Test
    void refusesAStageWhoseTaskTypeNoHandlerProvides() {
        assertThatThrownBy(() -> new WorkflowCatalog(List.of(workflow("a", "missing")), List.of(handler("t"))))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("'missing'");
    }

    @Test
    void refusesTwoHandlersForTheSameTaskType() {
        assertThatThrownBy(() -> new WorkflowCatalog(List.of(), List.of(handler("t"), handler("t"))))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("task type 't' is provided twice");
    }

    @Test
    void unknownJobTypeNamesTheAvailableOnes() {
        WorkflowCatalog catalog = new WorkflowCatalog(List.of(workflow("b", "t"), workflow("a", "t")),
                List.of(handler("t")));

        assertThatThrownBy(() -> catalog.workflow("c")).isInstanceOf(BadRequestException.class)
                .hasMessageContaining("available: a, b");
        assertThat(catalog.workflow("a").jobType()).isEqualTo("a");
    }

    private static Workflow workflow(String jobType, String taskType) {
        return new Workflow() {
            @Override
            public String jobType() {
                return jobType;
            }

            @Override
            public String description() {
                return jobType;
            }

            @Override
            public ParameterSchema parameters() {
                return ParameterSchema.of();
            }

            @Override
            public List<StageDefinition> stages() {
                return List.of(new StageDefinition("only", taskType));
            }

            @Override
            public Stream<TaskSpec> planTasks(int stage, StagePlanContext context) {
                return Stream.empty();
            }
        };
    }

    private static TaskHandler handler(String taskType) {
        return new TaskHandler() {
            @Override
            public String taskType() {
                return taskType;
            }

            @Override
            public Map<String, Object> handle(TaskInput input) {
                return Map.of();
            }
        };
    }
}
