package io.geoetl.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import io.geoetl.scratch.ScratchSpace;
import org.junit.jupiter.api.Test;

/**
 * A service process starting on a machine where another geoetl process was killed removes the dead
 * process's scratch folder, and leaves the folder of a live one (here this test's JVM) alone.
 */
class ScratchCleanupIT {

    @Test
    void aStartingProcessRemovesADeadProcesssScratchFolderAndKeepsALiveOnes() throws Exception {
        Path temp = Path.of(System.getProperty("java.io.tmpdir"));
        // What a killed process leaves: its folder, a task folder with a download, a script, a lock nobody holds.
        Path dead = temp.resolve("geoetl-p999999999-" + UUID.randomUUID().toString().replace("-", "").substring(0, 12));
        Files.createDirectories(dead.resolve("geoetl-task-1"));
        Files.writeString(dead.resolve("geoetl-task-1").resolve("source.gpkg"), "bytes");
        Files.writeString(dead.resolve("geoetl-1-ogr_info.py"), "print()");
        Files.createFile(dead.resolve("lock"));
        // A live process's folder: this JVM's, locked as long as it runs.
        Path live = ScratchSpace.current().root();
        Path liveTask = ScratchSpace.current().newFolder("geoetl-task-");

        try (ServiceProcess service = ServiceProcess.start("scratch-cleanup").awaitHealthy()) {
            Instant until = Instant.now().plus(Duration.ofSeconds(60));
            while (Files.exists(dead) && Instant.now().isBefore(until)) {
                ServiceProcess.pause(100);
            }

            assertThat(dead).doesNotExist();
            assertThat(live.resolve("lock")).exists();
            assertThat(liveTask).isDirectory();
            // The service made its own folder beside them.
            try (var folders = Files.list(temp)) {
                List<Path> own = folders.filter(path -> path.getFileName().toString().startsWith("geoetl-p"
                        + service.pid() + "-")).toList();
                assertThat(own).hasSize(1);
                assertThat(own.get(0).resolve("lock")).exists();
            }
        } finally {
            Files.deleteIfExists(liveTask);
        }
    }
}
