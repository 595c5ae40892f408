package io.geoetl.outputs;

import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.geoetl.error.PermanentTaskException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * Who owns each output. A writer asks {@link #refusal} early (before doing the work, and auto-ingest
 * before submitting) and {@link #claim} in the transaction that replaces the output, which decides
 * again under a lock and records the writer as the owner.
 *
 * <p>The rules: a table that exists but is not registered was made by someone else and is never
 * touched ({@code table_not_owned}); a target registered to another source is refused
 * ({@code target_owned_by_other_source}) unless the job says {@code overwrite: true}; a target of the
 * same source is refused to an older version of it than the one that wrote it
 * ({@code superseded_by_newer_version}); a target whose source was never recorded (made before the
 * registry) goes to the first job that writes it.
 */
@Repository
public class OutputRegistry {

    /** The recorded owner of a target: the source version that last wrote it and the job that did. */
    public record Owner(String container, String blob, String etag, OffsetDateTime modified, String jobId) {

        boolean sourceKnown() {
            return container != null && blob != null;
        }

        SourceVersion version() {
            return new SourceVersion(container, blob, etag, modified);
        }

        String describe() {
            return container + "/" + blob + (etag == null ? "" : " (ETag " + etag + (modified == null ? ""
                    : ", modified " + modified) + ")") + (jobId == null ? "" : ", written by job " + jobId);
        }
    }

    /** A blob geoetl wrote for a target. */
    public record OwnedBlob(String container, String name) {
    }

    private final JdbcTemplate jdbc;

    public OutputRegistry(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public Optional<Owner> owner(OutputTarget target) {
        return jdbc.query("select source_container, source_blob, source_etag, source_modified, job_id from "
                + "output_target where target_kind = ? and target_name = ?", (row, index) -> new Owner(
                        row.getString(1), row.getString(2), row.getString(3),
                        row.getObject(4, OffsetDateTime.class), row.getString(5)), target.kind(), target.name())
                .stream().findFirst();
    }

    /**
     * Why {@code source} may not write {@code target}, or empty when it may. Takes no lock: the answer
     * can change before the write, which {@link #claim} checks again.
     */
    public Optional<PermanentTaskException> refusal(OutputTarget target, SourceVersion source, boolean overwrite) {
        return refusal(target, owner(target), source, overwrite);
    }

    /** Throws the {@link #refusal}, if there is one: an early check before a job does its work. */
    public void requireAllowed(OutputTarget target, SourceVersion source, boolean overwrite) {
        Optional<PermanentTaskException> refused = refusal(target, source, overwrite);
        if (refused.isPresent()) {
            throw refused.get();
        }
    }

    /**
     * In the caller's transaction: serialises writers of the target until the transaction ends. Every
     * change of a registered output (claim, unpublish) takes it first.
     */
    public void lock(OutputTarget target) {
        jdbc.queryForList("select pg_advisory_xact_lock(hashtextextended(?, 0))::text", String.class,
                target.kind() + ":" + target.name());
    }

    /** What a claim found: the owner before it, and the blobs recorded for the target before it. */
    public record Claimed(Optional<Owner> before, List<OwnedBlob> previousBlobs) {
    }

    /**
     * In the caller's transaction: waits for any other writer of the target to commit ({@link #lock}),
     * refuses as {@link #refusal} does (throwing), then records {@code source} as the target's owner.
     * The blobs recorded before are returned, so that the caller deletes exactly those once its switch
     * has committed (never blobs a later writer records).
     */
    public Claimed claim(OutputTarget target, SourceVersion source, String jobId, boolean overwrite) {
        requireRunning(jobId);
        lock(target);
        Optional<Owner> before = owner(target);
        Optional<PermanentTaskException> refused = refusal(target, before, source, overwrite);
        if (refused.isPresent()) {
            throw refused.get();
        }
        List<OwnedBlob> previous = blobs(target);
        jdbc.update("insert into output_target (target_kind, target_name, source_container, source_blob, "
                + "source_etag, source_modified, job_id) values (?, ?, ?, ?, ?, ?, ?) on conflict (target_kind, "
                + "target_name) do update set source_container = excluded.source_container, source_blob = "
                + "excluded.source_blob, source_etag = excluded.source_etag, source_modified = "
                + "excluded.source_modified, job_id = excluded.job_id, updated_at = now()", target.kind(),
                target.name(), source.container(), source.blob(), source.etag(), source.modified(), jobId);
        return new Claimed(before, previous);
    }

    /**
     * Every switch of an output (a table swapped in, an item published or repointed) claims its target
     * here, in the switching transaction. The job's row is locked first and must still be processing:
     * a cancel commits either before (then nothing switches) or after this transaction (then the cancel
     * waits for the row and the switch is already whole). A job id without a row is not a job's
     * (a test's or a tool's claim) and is not checked.
     */
    private void requireRunning(String jobId) {
        List<String> status = jdbc.queryForList("select status from job where job_id = ? for update", String.class,
                jobId);
        if (!status.isEmpty() && !"processing".equals(status.get(0))) {
            throw new PermanentTaskException("job_not_running", "job " + jobId + " is " + status.get(0)
                    + ": it publishes nothing any more");
        }
    }

    /** Records a blob written into the output container for the (claimed) target. */
    public void recordBlob(String container, String name, OutputTarget target, String jobId) {
        jdbc.update("insert into output_blob (container, name, target_kind, target_name, job_id) values "
                + "(?, ?, ?, ?, ?) on conflict (container, name) do update set target_kind = excluded.target_kind, "
                + "target_name = excluded.target_name, job_id = excluded.job_id", container, name, target.kind(),
                target.name(), jobId);
    }

    /** The blobs recorded for a target. */
    public List<OwnedBlob> blobs(OutputTarget target) {
        return jdbc.query("select container, name from output_blob where target_kind = ? and target_name = ? "
                + "order by container, name", (row, index) -> new OwnedBlob(row.getString(1), row.getString(2)),
                target.kind(), target.name());
    }

    /** Which of these URLs some STAC item points at (one scan of the items' assets for all of them). */
    public Set<String> referencedByItems(Collection<String> hrefs) {
        if (hrefs.isEmpty()) {
            return Set.of();
        }
        return new HashSet<>(jdbc.queryForList("select distinct asset.value ->> 'href' from stac_item, "
                + "jsonb_each(document -> 'assets') asset where asset.value ->> 'href' = any(?)", String.class,
                (Object) hrefs.toArray(String[]::new)));
    }

    /** Whether geoetl recorded this blob (for any target). */
    public boolean recordedBlob(String container, String name) {
        return Boolean.TRUE.equals(jdbc.queryForObject("select exists (select 1 from output_blob where container = ? "
                + "and name = ?)", Boolean.class, container, name));
    }

    /** Forgets one blob (after it was deleted). */
    public void forgetBlob(String container, String name) {
        jdbc.update("delete from output_blob where container = ? and name = ?", container, name);
    }

    /** Forgets a target and its blobs (after unpublish removed them). */
    public void forget(OutputTarget target) {
        jdbc.update("delete from output_target where target_kind = ? and target_name = ?", target.kind(),
                target.name());
    }

    public boolean registered(OutputTarget target) {
        return owner(target).isPresent();
    }

    private Optional<PermanentTaskException> refusal(OutputTarget target, Optional<Owner> recorded,
            SourceVersion source, boolean overwrite) {
        if (recorded.isEmpty()) {
            if ("table".equals(target.kind()) && tableExists(target.name())) {
                return Optional.of(new PermanentTaskException("table_not_owned", target.name() + " exists but "
                        + "geoetl did not create it, so it never drops, replaces or appends to it: load into another "
                        + "target_table, or, if geoetl should own this name, rename or drop the table yourself first",
                        Map.of("target", target.name()), null));
            }
            return Optional.empty();
        }
        Owner owner = recorded.get();
        if (!owner.sourceKnown()) {
            return Optional.empty();
        }
        if (!source.sameSource(owner.container(), owner.blob())) {
            return overwrite ? Optional.empty() : Optional.of(new PermanentTaskException(
                    "target_owned_by_other_source", target + " belongs to " + owner.describe() + "; this job's "
                            + "source is " + source.describe() + ". " + remedy(target), Map.of("target",
                                    target.name(), "owner", owner.container() + "/" + owner.blob()), null));
        }
        if (source.olderThan(owner.version())) {
            return Optional.of(new PermanentTaskException("superseded_by_newer_version", target.name() + " already "
                    + "holds a newer version of " + owner.describe() + "; this job read an older one (ETag "
                    + source.etag() + ", modified " + source.modified() + ") and leaves it unchanged",
                    Map.of("target", target.name()), null));
        }
        return Optional.empty();
    }

    private static String remedy(OutputTarget target) {
        return ("table".equals(target.kind()) ? "Load it into another table (target_table)"
                : "Publish it into another collection (collection_id), or rename the blob")
                + ", or submit the job with \"overwrite\": true to replace the other source's output";
    }

    private boolean tableExists(String qualifiedName) {
        int dot = qualifiedName.indexOf('.');
        return Boolean.TRUE.equals(jdbc.queryForObject("select to_regclass(format('%I.%I', ?::text, ?::text)) "
                + "is not null", Boolean.class, qualifiedName.substring(0, dot), qualifiedName.substring(dot + 1)));
    }
}
