package io.geoetl.stac;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.geoetl.orchestration.Json;

/**
 * Runs stac-node-validator (installed into .tools by script/bootstrap) against the official STAC
 * schemas kept in the repository under src/test/resources/stac-schemas (its README names their source).
 */
public final class StacValidator {

    private StacValidator() {
    }

    public static void assertValid(List<Map<String, Object>> documents) throws Exception {
        Path folder = Files.createTempDirectory("stac-validate-");
        List<String> command = new ArrayList<>(List.of("node", tools().resolve(
                "node_modules/stac-node-validator/bin/cli.js").toString(), "-c", "stac-node-validator.config.json"));
        int index = 0;
        for (Map<String, Object> document : documents) {
            Path file = folder.resolve("doc-" + index++ + ".json");
            Files.writeString(file, Json.write(document), StandardCharsets.UTF_8);
            command.add(file.toAbsolutePath().toString());
        }
        Process process = new ProcessBuilder(command).directory(schemas().toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("stac-node-validator output:%n%s", output).isZero();
    }

    /** Where script/bootstrap installed the npm tools; Maven runs tests in the project folder. */
    private static Path tools() {
        return Path.of(System.getenv().getOrDefault("GEOETL_TOOLS_DIR", ".tools")).toAbsolutePath();
    }

    private static Path schemas() throws IOException {
        Path folder = Path.of("src/test/resources/stac-schemas");
        if (!Files.isRegularFile(folder.resolve("stac-node-validator.config.json"))) {
            throw new IOException("STAC schemas not found in " + folder.toAbsolutePath());
        }
        return folder.toRealPath();
    }
}
