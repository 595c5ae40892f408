package io.geoetl.scratch;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Three processes share one temp folder: a restart removes a dead one's scratch folder, never a live one's. */
class ScratchSpaceTest {

    @TempDir
    Path temp;

    @Test
    void removesTheFolderOfADeadProcessAndKeepsThoseOfLiveProcesses() throws Exception {
        // A process that was killed: its folder, a task folder with a download and a script, and a lock file
        // that nobody holds any more.
        Path dead = temp.resolve("geoetl-p4194301-deadbeef0123");
        Files.createDirectories(dead.resolve("geoetl-task-123"));
        Files.writeString(dead.resolve("geoetl-task-123").resolve("big.tif"), "pixels");
        Files.writeString(dead.resolve("geoetl-77-vector_prepare.py"), "print()");
        Files.createFile(dead.resolve(ScratchSpace.LOCK_FILE));
        // Not geoetl's: left alone whatever it holds.
        Path unrelated = Files.createDirectories(temp.resolve("geoetl-something-else"));

        Process other = startHolder(temp);
        try {
            Path othersFolder = Path.of(firstLine(other));
            ScratchSpace mine = ScratchSpace.open(temp);
            Path myTask = mine.newFolder("geoetl-task-");

            List<Path> removed = mine.removeLeftovers();

            assertThat(removed).containsExactly(dead);
            assertThat(dead).doesNotExist();
            assertThat(othersFolder.resolve(ScratchSpace.LOCK_FILE)).exists();
            try (var files = Files.list(othersFolder)) {
                assertThat(files.map(path -> path.getFileName().toString()))
                        .anyMatch(name -> name.startsWith("geoetl-task-"))
                        .anyMatch(name -> name.endsWith("-vector_prepare.py"));
            }
            assertThat(myTask).isDirectory();
            assertThat(unrelated).isDirectory();

            // Once the other process is killed its lock is free, and the next sweep removes its folder.
            other.destroyForcibly();
            assertThat(other.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(othersFolder).isDirectory();

            assertThat(mine.removeLeftovers()).containsExactly(othersFolder);
            assertThat(othersFolder).doesNotExist();
            assertThat(myTask).isDirectory();
            mine.close();
        } finally {
            other.destroyForcibly();
        }
    }

    @Test
    void aFolderWithoutItsLockIsRemovedOnlyWhenNoProcessOfItsIdRuns() throws Exception {
        // A process that exited while a task still had files: the JVM deleted its lock file, not the folder.
        Path exited = Files.createDirectories(temp.resolve("geoetl-p999999999-exited000000").resolve("geoetl-task-1"))
                .getParent();
        // A process killed while making its folder.
        Path unfinished = Files.createDirectories(temp.resolve("geoetl-p999999998-unfinished00.new"));
        // A lockless folder named after a running process (this one): not judged dead.
        Path running = Files.createDirectories(temp.resolve("geoetl-p" + ProcessHandle.current().pid()
                + "-running00000"));
        ScratchSpace mine = ScratchSpace.open(temp);

        assertThat(mine.removeLeftovers()).containsExactlyInAnyOrder(exited, unfinished);

        assertThat(exited).doesNotExist();
        assertThat(unfinished).doesNotExist();
        assertThat(running).isDirectory();
        mine.close();
    }

    /**
     * A live process between creating its folder's lock file and locking it: its lock is free, but the folder is
     * still being made. Three processes starting at once removed each other's folders there, and one of them
     * failed to start ("cannot make a scratch folder", ChaosIT).
     */
    @Test
    void aFolderBeingMadeIsJudgedByItsOwnersProcessIdNotByItsLock() throws Exception {
        Path starting = Files.createDirectories(temp.resolve("geoetl-p" + ProcessHandle.current().pid()
                + "-starting0000.new"));
        Files.createFile(starting.resolve(ScratchSpace.LOCK_FILE));
        Path abandoned = Files.createDirectories(temp.resolve("geoetl-p999999997-abandoned000.new"));
        Files.createFile(abandoned.resolve(ScratchSpace.LOCK_FILE));
        ScratchSpace mine = ScratchSpace.open(temp);

        assertThat(mine.removeLeftovers()).containsExactly(abandoned);

        assertThat(starting.resolve(ScratchSpace.LOCK_FILE)).exists();
        mine.close();
    }

    @Test
    void aLinkOrAFifoNamedLikeAProcessFolderIsLeftAlone() throws Exception {
        // A link named like a dead process's folder, pointing at files that are not geoetl's.
        Path victim = Files.createDirectories(temp.resolve("victim"));
        Files.writeString(victim.resolve(ScratchSpace.LOCK_FILE), "not geoetl's");
        Path link = Files.createSymbolicLink(temp.resolve("geoetl-p999999997-linked000000"), victim);
        // A real folder whose "lock" is a FIFO: opening it for writing would block the start for good.
        Path fifoFolder = Files.createDirectories(temp.resolve("geoetl-p999999996-fifo00000000"));
        Process mkfifo = new ProcessBuilder("mkfifo", fifoFolder.resolve(ScratchSpace.LOCK_FILE).toString()).start();
        assertThat(mkfifo.waitFor()).isZero();
        ScratchSpace mine = ScratchSpace.open(temp);

        assertThat(mine.removeLeftovers()).isEmpty();

        assertThat(victim.resolve(ScratchSpace.LOCK_FILE)).hasContent("not geoetl's");
        assertThat(link).isSymbolicLink();
        assertThat(fifoFolder).isDirectory();
        mine.close();
    }

    @Test
    void twoSpacesInOneFolderGetTheirOwnLockedFolders() throws Exception {
        ScratchSpace first = ScratchSpace.open(temp);
        ScratchSpace second = ScratchSpace.open(temp);
        assertThat(first.root()).isNotEqualTo(second.root());
        assertThat(first.root().getFileName().toString()).matches(ScratchSpace.PROCESS_FOLDER.pattern())
                .startsWith("geoetl-p" + ProcessHandle.current().pid() + "-");
        // Held in this JVM: neither removes the other's folder.
        assertThat(first.removeLeftovers()).isEmpty();
        assertThat(second.removeLeftovers()).isEmpty();
        second.close();
        first.close();
        assertThat(first.root()).doesNotExist();
    }

    /** A second JVM running {@link ScratchHolder} on the test classpath. */
    private static Process startHolder(Path parent) throws IOException {
        String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        return new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), ScratchHolder.class.getName(),
                parent.toString()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }

    /** The holder's first output line: printed once its folder exists and is locked. */
    private static String firstLine(Process process) throws Exception {
        BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8));
        String line = CompletableFuture.supplyAsync(() -> {
            try {
                return reader.readLine();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }).get(60, TimeUnit.SECONDS);
        assertThat(line).as("the holder's folder").isNotNull();
        return line;
    }
}
