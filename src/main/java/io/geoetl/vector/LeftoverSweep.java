package io.geoetl.vector;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.geoetl.config.StorageProperties;
import io.geoetl.config.VectorProperties;
import io.geoetl.database.DatabaseAvailability;
import io.geoetl.storage.BlobStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * What loads that did not complete leave behind: a failed or cancelled process_vector job keeps its
 * staging tables (rows, chunk record) and its intermediate in silver, so that a retry can resume stage 2
 * or 3. Once the job ended longer ago than {@code geoetl.vector.leftover-max-age}, or retention deleted
 * it, they go. A completed job leaves nothing to sweep: its staging table became the target, and its
 * intermediate is an asset of the table's STAC Item.
 */
@Component
@ConditionalOnProperty(name = "geoetl.roles.worker", havingValue = "true", matchIfMissing = true)
class LeftoverSweep {

    private static final Logger log = LoggerFactory.getLogger(LeftoverSweep.class);
    /** Staging tables are named after the first 16 hex digits of their job id (ChunkLoader.stagingName). */
    private static final Pattern STAGING_TABLE = Pattern.compile("s_([0-9a-f]{16})(_chunks)?");

    private final JdbcTemplate jdbc;
    private final VectorProperties properties;
    private final BlobStore blobs;
    private final StorageProperties storage;
    private final DatabaseAvailability database;

    LeftoverSweep(JdbcTemplate jdbc, VectorProperties properties, BlobStore blobs, StorageProperties storage,
            DatabaseAvailability database) {
        this.database = database;
        this.jdbc = jdbc;
        this.properties = properties;
        this.blobs = blobs;
        this.storage = storage;
    }

    @Scheduled(initialDelayString = "PT2M", fixedDelayString = "${geoetl.retention.interval}")
    public void scheduled() {
        if (database.admitsWork()) {
            sweep(properties.leftoverMaxAge());
        }
    }

    /** Removes the leftovers of loads whose job ended before now minus {@code age}; returns the counts. */
    Map<String, Long> sweep(Duration age) {
        List<String> tables = jdbc.queryForList("select tablename from pg_tables where schemaname = ? order by "
                + "tablename", String.class, properties.stagingSchema());
        long dropped = 0;
        long intermediates = 0;
        for (String table : tables) {
            Matcher name = STAGING_TABLE.matcher(table);
            if (!name.matches()) {
                continue;
            }
            List<Map<String, Object>> jobs = jdbc.queryForList("select job_id, status, ended_at < now() - "
                    + "make_interval(secs => ?) as old from job where job_id like ? || '%'", age.toMillis() / 1000.0,
                    name.group(1));
            boolean gone = jobs.isEmpty();
            if (!gone && !(jobs.size() == 1 && Boolean.TRUE.equals(jobs.get(0).get("old")))) {
                continue;
            }
            if (!gone && name.group(2) == null && List.of("failed", "cancelled").contains(jobs.get(0).get("status"))) {
                intermediates += deleteIntermediate((String) jobs.get(0).get("job_id"));
            }
            jdbc.execute("drop table if exists " + TableFinalizer.quote(properties.stagingSchema()) + "."
                    + TableFinalizer.quote(table));
            dropped++;
        }
        if (dropped > 0) {
            log.info("event=vector_leftovers_swept staging_tables={} intermediates={} older_than={}", dropped,
                    intermediates, age);
        }
        Map<String, Long> counts = new LinkedHashMap<>();
        counts.put("staging_tables", dropped);
        counts.put("intermediates", intermediates);
        return counts;
    }

    /** The intermediate the job's prepare task wrote, as its result names it. */
    private long deleteIntermediate(String jobId) {
        List<String> names = jdbc.queryForList("select result->>'intermediate_blob' from task where job_id = ? "
                + "and stage = 1 and result->>'intermediate_blob' is not null", String.class, jobId);
        names.forEach(blob -> blobs.deleteIfExists(storage.silverContainer(), blob));
        return names.size();
    }
}
