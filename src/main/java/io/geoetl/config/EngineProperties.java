package io.geoetl.config;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The job/stage/task engine.
 *
 * @param dispatchWindow    task messages in flight (queued or processing) per job at most
 * @param insertBatchSize   tasks per batched INSERT when a stage opens
 * @param lightThreads      worker threads for light tasks (hello, listings, database-only steps)
 * @param heavyThreads      worker threads for heavy tasks (GDAL over whole files, loads); bounded by the cores
 * @param maxTaskDuration   a task running longer is interrupted (its process killed) and fails
 * @param sweepInterval     how often the dispatcher sweep tops up every job's window
 * @param reconcileInterval how often the reconciler looks for lost messages and missed advances
 * @param lostMessageAfter  a task queued (or a job waiting for its stage) this long with no progress
 *                          is presumed to have lost its message and is sent again
 * @param drainGrace        on shutdown, running tasks get this long to finish before being released
 */
@ConfigurationProperties(prefix = "geoetl.engine")
public record EngineProperties(int dispatchWindow, int insertBatchSize, int lightThreads, int heavyThreads,
        Duration maxTaskDuration, Duration sweepInterval, Duration reconcileInterval, Duration lostMessageAfter,
        Duration drainGrace) {
}
