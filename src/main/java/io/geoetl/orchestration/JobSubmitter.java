package io.geoetl.orchestration;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import io.geoetl.outputs.OutputTarget;
import io.geoetl.workflow.Workflow;
import io.geoetl.workflow.WorkflowCatalog;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * Submit: validate against the workflow's schema, canonicalise, derive the job id, insert once,
 * queue the first stage. Concurrent identical submits race on the primary key: one insert wins and
 * only the winner sends the job message.
 */
@Service
public class JobSubmitter {

    static final String ENQUEUE_ROUTE = "direct:job-enqueue";
    private static final Logger log = LoggerFactory.getLogger(JobSubmitter.class);

    /** The job and whether this call created it (false: an identical job already existed). */
    public record Submission(JobRecord job, boolean created) {
    }

    private final WorkflowCatalog catalog;
    private final JobRepository jobs;
    private final ProducerTemplate producer;

    public JobSubmitter(WorkflowCatalog catalog, JobRepository jobs, ProducerTemplate producer) {
        this.catalog = catalog;
        this.jobs = jobs;
        this.producer = producer;
    }

    public Submission submit(String jobType, Map<String, Object> submitted) {
        Workflow workflow = catalog.workflow(jobType);
        Map<String, Object> parameters = completed(workflow, submitted);
        String jobId = Ids.jobId(jobType, parameters);
        boolean created = jobs.insertIfAbsent(jobId, jobType, workflow.stages().size(), parameters);
        if (created) {
            enqueue(new Messages.JobMessage(jobId, 1, 1));
            log.info("event=job_submitted job_id={} job_type={}", jobId, jobType);
        }
        return new Submission(jobs.find(jobId).orElseThrow(), created);
    }

    /** The output such a job would write (see {@link Workflow#outputTarget}); a 400 when the parameters are bad. */
    public Optional<OutputTarget> outputTarget(String jobType, Map<String, Object> submitted) {
        Workflow workflow = catalog.workflow(jobType);
        return workflow.outputTarget(completed(workflow, submitted));
    }

    private static Map<String, Object> completed(Workflow workflow, Map<String, Object> submitted) {
        return new TreeMap<>(workflow.complete(workflow.parameters().canonicalize(submitted)));
    }

    /** Sends a job message; if this fails the job stays queued and the reconciler sends it again. */
    public void enqueue(Messages.JobMessage message) {
        producer.sendBody(ENQUEUE_ROUTE, message.toJson());
    }
}
