package io.geoetl.orchestration;

import java.util.Locale;

/** Job states: queued -> processing -> completed | completed_with_errors | failed | cancelled. */
public enum JobStatus {
    QUEUED, PROCESSING, COMPLETED, COMPLETED_WITH_ERRORS, FAILED, CANCELLED;

    public String db() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static JobStatus of(String db) {
        return valueOf(db.toUpperCase(Locale.ROOT));
    }

    public boolean ended() {
        return this != QUEUED && this != PROCESSING;
    }
}
