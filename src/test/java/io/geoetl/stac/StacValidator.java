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
 * Runs stac-node-validator (installed by script/bootstrap) against the official STAC schemas kept
 * offline in ../shared/data/stac-schemas (or GEOETL_STAC_SCHEMAS).
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

    private static Path tools() {
        return Path.of(System.getenv().getOrDefault("GEOETL_TOOLS_DIR", "/opt/geoetl-tools"));
    }

    private static Path schemas() throws IOException {
        for (String candidate : new String[] {System.getenv("GEOETL_STAC_SCHEMAS"), "../shared/data/stac-schemas",
                "/work/shared/data/stac-schemas"}) {
            if (candidate != null && Files.isDirectory(Path.of(candidate))) {
                return Path.of(candidate).toRealPath();
            }
        }
        throw new IOException("STAC schemas not found: set GEOETL_STAC_SCHEMAS");
    }
}
