package io.geoetl.ingest;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.geoetl.config.IngestProperties;
import io.geoetl.database.DatabaseAvailability;
import io.geoetl.error.BadRequestException;
import io.geoetl.error.PermanentTaskException;
import io.geoetl.orchestration.JobSubmitter;
import io.geoetl.outputs.OutputRegistry;
import io.geoetl.outputs.SourceVersion;
import io.geoetl.storage.BlobStore;
import io.geoetl.storage.BlobStore.BlobInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Blob-drop auto-ingest: one poll lists the watched container (names, ETags and sizes only, nothing is
 * downloaded), submits {@code process_raster} or {@code process_vector} for every new or changed blob
 * with its ETag as {@code source_etag}, and records skipped, waiting and deleted blobs.
 *
 * <p>Exactly once per (name, ETag), across restarts and instances: a blob whose recorded ETag and
 * status are unchanged is not looked at again, and two instances that both see a new blob submit the
 * same parameters, hence the same job id; the second submit finds the existing job. The record's
 * conditional upsert writes one history event per change, whoever wins.
 */
@Component
public class BlobIngest {

    private static final Logger log = LoggerFactory.getLogger(BlobIngest.class);

    private record Known(String etag, String status) {
    }

    private final BlobStore blobs;
    private final JobSubmitter submitter;
    private final JdbcTemplate jdbc;
    private final IngestProperties properties;
    private final OutputRegistry registry;
    private final DatabaseAvailability database;

    BlobIngest(BlobStore blobs, JobSubmitter submitter, JdbcTemplate jdbc, IngestProperties properties,
            OutputRegistry registry, DatabaseAvailability database) {
        this.database = database;
        this.registry = registry;
        this.blobs = blobs;
        this.submitter = submitter;
        this.jdbc = jdbc;
        this.properties = properties;
    }

    /** One listing of the watched container; returns how many blobs changed state. */
    public int poll() {
        if (!database.admitsWork()) {
            return 0;
        }
        String container = properties.container();
        String prefix = properties.prefix() == null ? "" : properties.prefix();
        Map<String, Known> known = new HashMap<>();
        jdbc.query("select name, etag, status from ingest_blob where container = ? and starts_with(name, ?)",
                row -> {
                    known.put(row.getString(1), new Known(row.getString(2), row.getString(3)));
                }, container, prefix);
        Map<String, BlobInfo> listed = new LinkedHashMap<>();
        for (Iterator<BlobInfo> page = blobs.list(container, prefix); page.hasNext();) {
            BlobInfo blob = page.next();
            listed.put(blob.name(), blob);
        }
        Set<String> names = new HashSet<>(listed.keySet());
        int changed = 0;
        for (BlobInfo blob : listed.values()) {
            Known before = known.get(blob.name());
            boolean unchanged = before != null && before.etag().equals(blob.etag())
                    && !"waiting".equals(before.status());
            if (!unchanged && ingest(container, blob, names, before)) {
                changed++;
            }
        }
        for (Map.Entry<String, Known> entry : known.entrySet()) {
            if (!names.contains(entry.getKey()) && !"deleted".equals(entry.getValue().status())
                    && record(container, entry.getKey(), entry.getValue().etag(), null, "deleted", null, null,
                            "the blob was deleted; its outputs stay until unpublished")) {
                changed++;
            }
        }
        return changed;
    }

    private boolean ingest(String container, BlobInfo blob, Set<String> names, Known before) {
        IngestRules.Decision decision = IngestRules.decide(blob.name(), names);
        if (decision.jobType() == null) {
            return record(container, blob.name(), blob.etag(), blob.size(), decision.status(), null, null,
                    decision.reason());
        }
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("container", container);
        parameters.put("blob_name", blob.name());
        parameters.put("source_etag", blob.etag());
        try {
            // Never replace another source's output: say why the blob waits for a person instead.
            Optional<PermanentTaskException> refused = submitter.outputTarget(decision.jobType(), parameters)
                    .flatMap(target -> registry.refusal(target, SourceVersion.of(container, blob), false));
            if (refused.isPresent()) {
                log.info("event=ingest_skipped blob={} etag={} reason={}", blob.name(), blob.etag(),
                        refused.get().code());
                return record(container, blob.name(), blob.etag(), blob.size(), "skipped", null, decision.jobType(),
                        refused.get().code() + ": " + refused.get().getMessage() + ". Auto-ingest does not try this "
                                + "version again: submit the job by hand with those parameters");
            }
            JobSubmitter.Submission submission = submitter.submit(decision.jobType(), parameters);
            boolean recorded = record(container, blob.name(), blob.etag(), blob.size(), "submitted",
                    submission.job().jobId(), decision.jobType(), before == null ? "new blob" : "changed blob");
            if (recorded) {
                log.info("event=ingest_submitted blob={} etag={} job_type={} job_id={} created={}", blob.name(),
                        blob.etag(), decision.jobType(), submission.job().jobId(), submission.created());
            }
            return recorded;
        } catch (BadRequestException refused) {
            // The job refuses the file (an extension it does not load, a name it cannot use): say why.
            return record(container, blob.name(), blob.etag(), blob.size(), "skipped", null, decision.jobType(),
                    refused.getMessage());
        }
    }

    /**
     * Upserts the blob's state; when something changed (another instance may have written the same
     * already), appends the history event. Returns whether this call changed the state.
     */
    private boolean record(String container, String name, String etag, Long size, String status, String jobId,
            String jobType, String reason) {
        // One statement: the state change and its history event are written together or not at all.
        List<Long> events = jdbc.queryForList("with changed as (insert into ingest_blob (container, name, etag, "
                + "status, job_id, job_type, reason, size_bytes) values (?, ?, ?, ?, ?, ?, ?, ?) on conflict "
                + "(container, name) do update set etag = excluded.etag, status = excluded.status, job_id = "
                + "excluded.job_id, job_type = excluded.job_type, reason = excluded.reason, size_bytes = "
                + "coalesce(excluded.size_bytes, ingest_blob.size_bytes), updated_at = now() where ingest_blob.etag "
                + "<> excluded.etag or ingest_blob.status <> excluded.status or ingest_blob.reason is distinct from "
                + "excluded.reason returning container, name, etag, status, job_id, job_type, reason) "
                + "insert into ingest_event (container, name, etag, status, job_id, job_type, reason) select * from "
                + "changed returning event_id", Long.class, container, name, etag, status, jobId, jobType, reason,
                size);
        return !events.isEmpty();
    }
}
