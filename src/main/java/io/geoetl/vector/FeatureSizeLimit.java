package io.geoetl.vector;

import java.util.Locale;

import io.geoetl.error.PermanentTaskException;

/**
 * The largest feature process_vector loads ({@value #SETTING}): its geometry as WKB plus its attribute
 * text. One row is held in memory while the intermediate is written and one value in PostgreSQL, and
 * neither may grow with whatever a file holds.
 *
 * @param maxBytes the limit in bytes
 */
record FeatureSizeLimit(long maxBytes) {

    /** Where the limit is set, for the messages that name it. */
    static final String SETTING = "GEOETL_VECTOR_MAX_FEATURE_BYTES";

    /**
     * The longest COPY row a feature within the limit makes: its geometry is hex, two characters a byte,
     * so no acceptable row is longer than twice the limit, and the reader need never hold more.
     */
    int maxRowChars() {
        return (int) Math.min(Integer.MAX_VALUE - 64, 2 * maxBytes + 64);
    }

    /**
     * Refuses feature {@code feature} (counted from 1 in the file's order) when its row of {@code rowChars}
     * characters, {@code geometryChars} of them hex EWKB and the rest attribute text, is over the limit.
     */
    void check(long feature, int rowChars, int geometryChars) {
        long bytes = rowChars - geometryChars + geometryChars / 2;
        if (bytes > maxBytes) {
            throw tooLarge(feature, bytes);
        }
    }

    /** The refusal of feature {@code feature}, with its size when known (a row too long to hold has none). */
    PermanentTaskException tooLarge(long feature, Long bytes) {
        String limit = String.format(Locale.ROOT, "%,d", maxBytes);
        return new PermanentTaskException("feature_too_large", "feature " + feature + (bytes == null
                ? " is larger than the limit of " + limit + " bytes a feature (geometry as WKB plus attribute text, "
                        + SETTING + ")"
                : " is " + String.format(Locale.ROOT, "%,d", bytes) + " bytes (geometry as WKB plus attribute "
                        + "text), above the limit of " + limit + " bytes a feature (" + SETTING + ")")
                + ": simplify or split it, or raise the limit");
    }
}
