package io.geoetl.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;

import io.geoetl.process.ReadmeTour.Command;
import org.junit.jupiter.api.Test;

class ReadmeTourTest {

    private static final String README = """
            # geoetl

            ```sh
            not-the-tour
            ```

            ## Five-minute tour

            Some prose.

            ```sh
            # What can I run?
            curl -s localhost:8080/api/jobs/types

            # Submit: 202.
            # The same again: 200.
            curl -si -X POST localhost:8080/api/jobs/submit/hello_world \\
                 -H 'Content-Type: application/json' -d '{"n": 5}'

            JOB=<job_id from the answer>
            SAS='sv=1&sig=x'
            curl -s localhost:8080/api/jobs/status/$JOB
            ```

            ## HTTP API
            """;

    @Test
    void splitsTheTourBlockIntoCommandsWithTheCommentsAboveThem() {
        List<Command> commands = ReadmeTour.parse(README);

        assertThat(commands).extracting(Command::text).containsExactly(
                "curl -s localhost:8080/api/jobs/types",
                "curl -si -X POST localhost:8080/api/jobs/submit/hello_world -H 'Content-Type: application/json' "
                        + "-d '{\"n\": 5}'",
                "JOB=<job_id from the answer>",
                "SAS='sv=1&sig=x'",
                "curl -s localhost:8080/api/jobs/status/$JOB");
        assertThat(commands).extracting(Command::comment)
                .containsExactly("What can I run?", "Submit: 202.\nThe same again: 200.", "", "", "");
        assertThat(commands).extracting(Command::line).containsExactly(13, 17, 20, 21, 22);
    }

    @Test
    void recognisesAssignmentsButNotCommandsThatMerelyContainAnEqualsSign() {
        List<Command> commands = ReadmeTour.parse(README);

        assertThat(commands).extracting(Command::assignedVariable).containsExactly(null, null, "JOB", "SAS", null);
    }

    @Test
    void refusesABlockThatEndsInsideAContinuedCommand() {
        String broken = "## Five-minute tour\n\n```sh\ncurl -s localhost:8080/api/health \\\n```\n";

        assertThatThrownBy(() -> ReadmeTour.parse(broken)).hasMessageContaining("README line 4");
    }

    @Test
    void refusesAReadmeWithoutTheTour() {
        assertThatThrownBy(() -> ReadmeTour.parse("# geoetl\n")).hasMessageContaining("Five-minute tour");
    }

    @Test
    void pairsCommandsWithKeysInOrderIncludingRepeatedCommands() {
        List<Command> commands = ReadmeTour.parse(README);

        assertThat(ReadmeTour.mismatches(commands, List.of("/api/jobs/types", "submit/hello_world", "JOB=", "SAS=",
                "/status/$JOB"))).isEmpty();
    }

    @Test
    void namesTheCommandWithoutAnExpectationAndTheExpectationWithoutACommand() {
        List<Command> commands = ReadmeTour.parse(README);

        assertThat(ReadmeTour.mismatches(commands, List.of("/api/jobs/types", "JOB=", "SAS=", "/status/$JOB",
                "/api/health"))).containsExactly(
                        "no expectation for the command at README line 17: curl -si -X POST "
                                + "localhost:8080/api/jobs/submit/hello_world -H 'Content-Type: application/json' "
                                + "-d '{\"n\": 5}'",
                        "no command for the expectation keyed '/api/health' (expected after the last command)");
        assertThat(ReadmeTour.mismatches(commands, List.of("/api/jobs/types", "submit/hello_world", "/api/openapi",
                "JOB=", "SAS=", "/status/$JOB"))).containsExactly("no command for the expectation keyed "
                        + "'/api/openapi' (expected before README line 20: JOB=<job_id from the answer>)");
    }

    @Test
    void theRealReadmeHasATourWhoseMultiLineCommandsAreJoined() throws Exception {
        List<Command> commands = ReadmeTour.read(Path.of("README.md"));

        assertThat(commands).isNotEmpty().noneMatch(command -> command.text().endsWith("\\"));
        assertThat(commands).allSatisfy(command -> assertThat(command.text()).doesNotStartWith("#"));
    }
}
