package io.geoetl.orchestration;

import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

import io.geoetl.workflow.PriorTask;
import io.geoetl.workflow.StagePlanContext;

/** A job's view for planning a stage: earlier stages' completed tasks, paged by key. */
final class PlanContext implements StagePlanContext {

    private static final int PAGE = 1000;

    private final JobRecord job;
    private final TaskRepository tasks;

    PlanContext(JobRecord job, TaskRepository tasks) {
        this.job = job;
        this.tasks = tasks;
    }

    @Override
    public String jobId() {
        return job.jobId();
    }

    @Override
    public Map<String, Object> jobParameters() {
        return job.parameters();
    }

    @Override
    public Stream<PriorTask> completedTasks(int stage) {
        Iterator<PriorTask> pages = new Iterator<>() {
            private List<PriorTask> page = List.of();
            private int index;
            private String lastKey = "";
            private boolean exhausted;

            @Override
            public boolean hasNext() {
                if (index < page.size()) {
                    return true;
                }
                if (exhausted) {
                    return false;
                }
                page = tasks.completedPage(job.jobId(), job.generation(), stage, lastKey, PAGE);
                index = 0;
                exhausted = page.size() < PAGE;
                if (!page.isEmpty()) {
                    lastKey = page.get(page.size() - 1).key();
                }
                return !page.isEmpty();
            }

            @Override
            public PriorTask next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return page.get(index++);
            }
        };
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(pages, Spliterator.ORDERED), false);
    }
}
