package io.geoetl.scratch;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Another geoetl process, for {@link ScratchSpaceTest}: opens a scratch space under the folder given as
 * argument, leaves a task folder and a script in it as a running task would, prints the space's folder
 * and stays alive (holding the lock) until killed.
 */
public final class ScratchHolder {

    private ScratchHolder() {
    }

    public static void main(String[] args) throws Exception {
        ScratchSpace space = ScratchSpace.open(Path.of(args[0]));
        Files.writeString(space.newFolder("geoetl-task-").resolve("download.geojson"), "{}");
        space.newFile("geoetl-", "-vector_prepare.py");
        System.out.println(space.root());
        System.out.flush();
        // Until the test kills this process (SIGKILL: nothing is cleaned up, as after a crash).
        Thread.sleep(Long.MAX_VALUE);
    }
}
