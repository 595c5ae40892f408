package io.geoetl.gdal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.geoetl.error.TransientTaskException;

/**
 * Runs an external program (GDAL's command-line tools) with a time-out and captured output. When
 * the calling thread is interrupted (task deadline, shutdown) or the time-out passes, the process and
 * its children are killed before this returns, so no GDAL process outlives its task.
 */
public final class ProcessRunner {

    /** Exit code and captured output of a finished process. */
    public record Result(int exitCode, String stdout, String stderr) {
    }

    private static final int MAX_CAPTURE = 1 << 20;

    private ProcessRunner() {
    }

    /** Runs a program in the service's own environment. */
    public static Result run(List<String> command, Duration timeout) throws InterruptedException {
        return run(command, System.getenv(), timeout);
    }

    /**
     * As {@link #run(List, Duration)} in the given environment, which is the process's whole
     * environment (nothing is inherited, so a variable can also be withheld); credentials stay off the
     * command line.
     */
    public static Result run(List<String> command, Map<String, String> environment, Duration timeout)
            throws InterruptedException {
        Process process = start(command, environment);
        CompletableFuture<String> stdout = CompletableFuture.supplyAsync(() -> capture(process.getInputStream()));
        CompletableFuture<String> stderr = CompletableFuture.supplyAsync(() -> capture(process.getErrorStream()));
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                kill(process);
                throw new TransientTaskException("process_timeout", command.get(0) + " did not finish within "
                        + timeout.toSeconds() + " s and was killed");
            }
            return new Result(process.exitValue(), stdout.join(), stderr.join());
        } catch (InterruptedException e) {
            kill(process);
            throw e;
        }
    }

    /** Starts the program with no standard input; a program that cannot start is a transient failure. */
    private static Process start(List<String> command, Map<String, String> environment) {
        try {
            ProcessBuilder builder = new ProcessBuilder(command);
            builder.environment().clear();
            builder.environment().putAll(environment);
            Process process = builder.start();
            process.getOutputStream().close();
            return process;
        } catch (IOException e) {
            throw new TransientTaskException("process_start_failed", "could not start " + command.get(0) + ": "
                    + e.getMessage(), e);
        }
    }

    /** Reads a process's standard output while it runs. */
    @FunctionalInterface
    public interface OutputReader<T> {
        T read(InputStream stdout) throws IOException;
    }

    /**
     * Exit code and stderr of a streamed process, with what the reader returned or the exception it
     * threw (the caller decides which failure explains the other).
     */
    public record Streamed<T>(int exitCode, T value, Exception readFailure, String stderr) {
    }

    /**
     * Runs a program and hands its standard output to {@code reader} on the calling thread, so that
     * the output is consumed as it is produced (no file in between). A reader that fails kills the
     * process; so do the time-out and an interrupt.
     */
    public static <T> Streamed<T> stream(List<String> command, Map<String, String> environment,
            Duration timeout, OutputReader<T> reader) throws InterruptedException {
        Process process = start(command, environment);
        CompletableFuture<String> stderr = CompletableFuture.supplyAsync(() -> capture(process.getErrorStream()));
        AtomicBoolean timedOut = new AtomicBoolean();
        CompletableFuture<Void> watchdog = CompletableFuture.runAsync(() -> {
            timedOut.set(true);
            kill(process);
        }, CompletableFuture.delayedExecutor(timeout.toMillis(), TimeUnit.MILLISECONDS));
        T value = null;
        Exception failure = null;
        try (InputStream stdout = process.getInputStream()) {
            value = reader.read(stdout);
        } catch (IOException | RuntimeException e) {
            failure = e;
            kill(process);
        }
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            kill(process);
            throw e;
        } finally {
            watchdog.cancel(false);
        }
        if (timedOut.get()) {
            throw new TransientTaskException("process_timeout", command.get(0) + " did not finish within "
                    + timeout.toSeconds() + " s and was killed");
        }
        if (failure instanceof InterruptedIOException) {
            throw new InterruptedException("interrupted while reading the output of " + command.get(0));
        }
        return new Streamed<>(process.exitValue(), value, failure, stderr.join());
    }

    private static void kill(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Reads a stream fully but keeps at most the first megabyte, so a chatty tool cannot fill the heap.
     * {@link Process#destroyForcibly()} closes the process's streams, so a read that fails with the
     * stream closed under it means the process was killed: its output ends there.
     */
    private static String capture(InputStream stream) {
        ByteArrayOutputStream kept = new ByteArrayOutputStream();
        try (stream) {
            byte[] buffer = new byte[8192];
            int read;
            while ((read = stream.read(buffer)) != -1) {
                if (kept.size() < MAX_CAPTURE) {
                    kept.write(buffer, 0, Math.min(read, MAX_CAPTURE - kept.size()));
                }
            }
        } catch (IOException closedByKill) {
            // Fall through with what was read before the kill.
        }
        return kept.toString(StandardCharsets.UTF_8);
    }
}
