package io.geoetl.outputs;

import java.util.Map;

import io.geoetl.workflow.ParameterField;

/**
 * The {@code overwrite} parameter of every job that writes an output a source owns: true lets the job
 * replace an output another source wrote. It has no default, and false is dropped from the canonical
 * parameters, so jobs submitted before it existed keep their ids.
 */
public final class OverwriteParameter {

    public static final ParameterField FIELD = new ParameterField("overwrite", ParameterField.Type.BOOLEAN,
            "replace an output (table or item) that another source wrote; without it such a job fails with "
                    + "target_owned_by_other_source", false, null, null, null, null, null);

    private OverwriteParameter() {
    }

    /** Removes {@code overwrite: false} from completed parameters (the same job as leaving it out). */
    public static void canonicalize(Map<String, Object> parameters) {
        if (Boolean.FALSE.equals(parameters.get("overwrite"))) {
            parameters.remove("overwrite");
        }
    }

    public static boolean requested(Map<String, Object> job) {
        return Boolean.TRUE.equals(job.get("overwrite"));
    }
}
