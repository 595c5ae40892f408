package io.geoetl.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The commands of README.md's "Five-minute tour": its {@code sh} block, one command per line, lines
 * joined by a trailing backslash being one command, each with the comment lines written above it.
 */
final class ReadmeTour {

    static final String HEADING = "## Five-minute tour";
    // NAME=value as a whole line; the value may be quoted or a placeholder such as <job_id from the answer>.
    private static final Pattern ASSIGNMENT = Pattern.compile(
            "([A-Za-z_][A-Za-z0-9_]*)=('[^']*'|\"[^\"]*\"|<[^>]*>|\\S+)");

    /** One command as bash would run it: continuation lines joined by a space. */
    record Command(int line, String comment, String text) {

        /** The variable a line such as {@code JOB=...} assigns, or null for any other command. */
        String assignedVariable() {
            Matcher matcher = ASSIGNMENT.matcher(text);
            return matcher.matches() ? matcher.group(1) : null;
        }

        @Override
        public String toString() {
            return "README line " + line + ": " + text;
        }
    }

    private ReadmeTour() {
    }

    static List<Command> read(Path readme) throws IOException {
        return parse(Files.readString(readme));
    }

    static List<Command> parse(String markdown) {
        List<String> lines = markdown.lines().toList();
        int heading = lines.indexOf(HEADING);
        if (heading < 0) {
            throw new IllegalArgumentException("no '" + HEADING + "' section");
        }
        int open = heading + 1;
        while (open < lines.size() && !lines.get(open).startsWith("## ") && !lines.get(open).equals("```sh")) {
            open++;
        }
        if (open == lines.size() || !lines.get(open).equals("```sh")) {
            throw new IllegalArgumentException("the '" + HEADING + "' section has no ```sh block");
        }
        List<Command> commands = new ArrayList<>();
        StringBuilder comment = new StringBuilder();
        StringBuilder command = new StringBuilder();
        int commandLine = 0;
        for (int i = open + 1; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            int number = i + 1;
            if (line.equals("```")) {
                if (!command.isEmpty()) {
                    throw new IllegalArgumentException("README line " + commandLine + ": the block ends inside a "
                            + "command continued with a backslash");
                }
                return commands;
            }
            if (command.isEmpty()) {
                if (line.isEmpty()) {
                    continue;
                }
                if (line.startsWith("#")) {
                    comment.append(comment.isEmpty() ? "" : "\n").append(line.substring(1).strip());
                    continue;
                }
                commandLine = number;
            }
            boolean continues = line.endsWith("\\");
            command.append(command.isEmpty() ? "" : " ")
                    .append(continues ? line.substring(0, line.length() - 1).strip() : line);
            if (!continues) {
                commands.add(new Command(commandLine, comment.toString(), command.toString()));
                comment.setLength(0);
                command.setLength(0);
            }
        }
        throw new IllegalArgumentException("the tour's ```sh block is not closed");
    }

    /**
     * Pairs commands with the expectations' keys in order (command i must contain key i) and describes
     * every command left without an expectation and every key whose command is gone. Empty when they pair.
     */
    static List<String> mismatches(List<Command> commands, List<String> keys) {
        List<String> problems = new ArrayList<>();
        int next = 0;
        for (Command command : commands) {
            int match = next;
            while (match < keys.size() && !command.text().contains(keys.get(match))) {
                match++;
            }
            if (match == keys.size()) {
                problems.add("no expectation for the command at " + command);
                continue;
            }
            for (int gone = next; gone < match; gone++) {
                problems.add("no command for the expectation keyed '" + keys.get(gone) + "' (expected before "
                        + command + ")");
            }
            next = match + 1;
        }
        for (int gone = next; gone < keys.size(); gone++) {
            problems.add("no command for the expectation keyed '" + keys.get(gone) + "' (expected after the last "
                    + "command)");
        }
        return problems;
    }
}
