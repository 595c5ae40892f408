package io.geoetl.process;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Runs tour commands the way a reader pastes them into bash, from the repository root, against the test's
 * service: the README's addresses become the test's ports, a placeholder such as
 * {@code <job_id from the answer>} is filled from the previous command's answer, and the variables earlier
 * commands assigned are set before each command.
 */
final class TourShell {

    private static final Pattern PLACEHOLDER = Pattern.compile("<([a-z_]+) from [^>]*>");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long TIMEOUT_SECONDS = 60;

    private final Map<String, String> addresses;
    private final List<String> assignments = new ArrayList<>();
    private Answer previous;

    /** {@code addresses}: each README address (such as {@code localhost:8080}) and the test's replacement. */
    TourShell(Map<String, String> addresses) {
        this.addresses = new LinkedHashMap<>(addresses);
    }

    /**
     * Runs one command. An assignment ({@code JOB=...}) is kept for the commands after it and answers the
     * value the variable took.
     */
    Answer run(ReadmeTour.Command command) {
        String script = fill(command);
        String variable = command.assignedVariable();
        if (variable == null) {
            previous = execute(command, script, script);
            return previous;
        }
        Answer value = execute(command, script, script + "\nprintf '%s' \"$" + variable + "\"");
        if (value.exitCode() != 0 || value.output().isEmpty()) {
            throw new AssertionError(command + " left " + variable + " empty: " + value.errors());
        }
        assignments.add(script);
        return value;
    }

    /** Runs the command of an earlier answer again, exactly as it ran then (for polling). */
    Answer again(Answer earlier) {
        previous = execute(earlier.command(), earlier.script(), earlier.script());
        return previous;
    }

    private String fill(ReadmeTour.Command command) {
        String script = command.text();
        for (Map.Entry<String, String> address : addresses.entrySet()) {
            script = script.replace(address.getKey(), address.getValue());
        }
        Matcher placeholder = PLACEHOLDER.matcher(script);
        StringBuilder filled = new StringBuilder();
        while (placeholder.find()) {
            String key = placeholder.group(1);
            JsonNode value = previous == null ? null : previous.json().get(key);
            if (value == null || !value.isValueNode() || value.isNull()) {
                throw new AssertionError(command + ": the placeholder " + placeholder.group() + " needs '" + key
                        + "' in the previous answer, which was: " + (previous == null ? "none" : previous.output()));
            }
            placeholder.appendReplacement(filled, Matcher.quoteReplacement(value.asText()));
        }
        placeholder.appendTail(filled);
        return filled.toString();
    }

    private Answer execute(ReadmeTour.Command command, String script, String body) {
        Path out = null;
        Path err = null;
        try {
            out = Files.createTempFile("tour-out", ".txt");
            err = Files.createTempFile("tour-err", ".txt");
            String preamble = String.join("\n", assignments);
            Process process = new ProcessBuilder("bash", "-c", preamble + "\n" + body)
                    .directory(new File(System.getProperty("user.dir")))
                    .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(command + " did not finish within " + TIMEOUT_SECONDS + " s");
            }
            return new Answer(command, script, process.exitValue(), Files.readString(out), Files.readString(err));
        } catch (IOException e) {
            throw new AssertionError(command + " could not run: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(command + " was interrupted", e);
        } finally {
            deleteQuietly(out);
            deleteQuietly(err);
        }
    }

    private static void deleteQuietly(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // a temporary file; the OS cleans up
            }
        }
    }

    /**
     * What a command printed. With {@code curl -i} the output starts with the status line and headers:
     * {@link #status()} and {@link #header(String)} read them, {@link #body()} is what follows.
     */
    record Answer(ReadmeTour.Command command, String script, int exitCode, String output, String errors) {

        /** The HTTP status of a {@code curl -i} answer. */
        int status() {
            String statusLine = lastHead().lines().findFirst().orElse("");
            if (!statusLine.startsWith("HTTP/")) {
                throw new AssertionError(command + " printed no HTTP status line: " + output);
            }
            return Integer.parseInt(statusLine.split(" ")[1]);
        }

        /** A header of a {@code curl -i} answer, or null. */
        String header(String name) {
            String prefix = name.toLowerCase(Locale.ROOT) + ":";
            return lastHead().lines().filter(line -> line.toLowerCase(Locale.ROOT).startsWith(prefix))
                    .map(line -> line.substring(prefix.length()).strip()).findFirst().orElse(null);
        }

        String body() {
            String rest = output;
            while (rest.startsWith("HTTP/")) {
                int end = headEnd(rest);
                rest = end < 0 ? "" : rest.substring(end);
            }
            return rest;
        }

        JsonNode json() {
            try {
                return JSON.readTree(body());
            } catch (IOException e) {
                throw new AssertionError(command + " did not answer JSON: " + output + errors, e);
            }
        }

        private String lastHead() {
            String head = "";
            String rest = output;
            while (rest.startsWith("HTTP/")) {
                int end = headEnd(rest);
                head = end < 0 ? rest : rest.substring(0, end);
                rest = end < 0 ? "" : rest.substring(end);
            }
            return head;
        }

        private static int headEnd(String text) {
            int crlf = text.indexOf("\r\n\r\n");
            if (crlf >= 0) {
                return crlf + 4;
            }
            int lf = text.indexOf("\n\n");
            return lf < 0 ? -1 : lf + 2;
        }
    }
}
