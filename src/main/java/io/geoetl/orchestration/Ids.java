package io.geoetl.orchestration;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.regex.Pattern;

/** Deterministic ids: a job from its type and canonical parameters; a task from job, stage and key. */
public final class Ids {

    private static final Pattern JOB_ID = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern TASK_ID = Pattern.compile("[0-9a-f]{16}-s[0-9]{1,3}-[a-z0-9_]{1,64}");

    private Ids() {
    }

    /** SHA-256 hex of {@code job_type + "\n" + canonical JSON of the parameters}. */
    public static String jobId(String jobType, Map<String, Object> canonicalParameters) {
        return sha256(jobType + "\n" + Json.canonical(canonicalParameters));
    }

    /** {@code {job_id[0:16]}-s{stage}-{key}}: URL-safe, and a key finds its predecessor in stage - 1. */
    public static String taskId(String jobId, int stage, String key) {
        return jobId.substring(0, 16) + "-s" + stage + "-" + key;
    }

    public static boolean isJobId(String text) {
        return text != null && JOB_ID.matcher(text).matches();
    }

    public static boolean isTaskId(String text) {
        return text != null && TASK_ID.matcher(text).matches();
    }

    public static String sha256(String text) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
