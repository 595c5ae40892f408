package io.geoetl.scratch;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * One process's scratch folder, {@code geoetl-p<pid>-<token>} under the temp folder: every task folder
 * (WorkDir) and every extracted GDAL helper script lives inside it. The folder holds a file the process
 * keeps locked for its whole life, so another process sharing the temp folder can tell a live owner
 * (lock held) from a dead one (lock free: killed, crashed, its deleteOnExit never ran) and remove only
 * the dead one's leftovers at start ({@link #removeLeftovers()}).
 * <p>
 * The lock is a POSIX record lock (Java's {@link FileChannel#lock()}), which the kernel drops when the
 * process dies, however it dies. It is taken before the folder gets its final name (created as
 * {@code .new}, locked, then renamed), so no sweeping process ever sees a live folder without its lock.
 * A normal exit deletes the folder (and its lock file) unless a task left files in it; such a folder,
 * without its lock file, is removed once no process of its id runs.
 */
public final class ScratchSpace {

    /** Names of process folders; anything else in the temp folder is not geoetl's to judge. */
    static final Pattern PROCESS_FOLDER = Pattern.compile("geoetl-p\\d+-[a-z0-9]{12}");
    /** A process folder, or one still being made ({@code .new}); group 1 is the owner's process id. */
    private static final Pattern ANY_PROCESS_FOLDER = Pattern.compile("geoetl-p(\\d+)-[a-z0-9]{12}(\\.new)?");
    static final String LOCK_FILE = "lock";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";

    private static volatile ScratchSpace current;

    private final Path parent;
    private final Path root;
    /** Kept referenced for the process's life: an unreachable channel would be closed and its lock dropped. */
    private final FileChannel lockChannel;
    private final FileLock lock;

    private ScratchSpace(Path parent, Path root, FileChannel lockChannel, FileLock lock) {
        this.parent = parent;
        this.root = root;
        this.lockChannel = lockChannel;
        this.lock = lock;
    }

    /** This process's scratch space under {@code java.io.tmpdir}, made on first use. */
    public static ScratchSpace current() {
        ScratchSpace space = current;
        if (space == null) {
            synchronized (ScratchSpace.class) {
                if (current == null) {
                    current = open(Path.of(System.getProperty("java.io.tmpdir")));
                }
                space = current;
            }
        }
        return space;
    }

    /** Makes and locks a new process folder under {@code parent}. */
    static ScratchSpace open(Path parent) {
        String name = "geoetl-p" + ProcessHandle.current().pid() + "-" + token();
        Path starting = parent.resolve(name + ".new");
        Path root = parent.resolve(name);
        FileChannel channel = null;
        try {
            Files.createDirectories(parent);
            Files.createDirectory(starting);
            channel = FileChannel.open(starting.resolve(LOCK_FILE), StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE);
            FileLock lock = channel.lock();
            // The lock belongs to the open file, not its name: it holds across the rename.
            Files.move(starting, root, StandardCopyOption.ATOMIC_MOVE);
            // A normal exit leaves nothing behind: the JVM deletes these after every shutdown hook has run
            // (after the last task), in reverse order of registration, so the folder goes last.
            root.toFile().deleteOnExit();
            root.resolve(LOCK_FILE).toFile().deleteOnExit();
            return new ScratchSpace(parent, root, channel, lock);
        } catch (IOException e) {
            closeQuietly(channel);
            throw new UncheckedIOException("cannot make a scratch folder in " + parent, e);
        }
    }

    /** This process's folder. */
    public Path root() {
        return root;
    }

    /** A new task folder ({@code geoetl-task-*}) inside this process's folder. */
    public Path newFolder(String prefix) throws IOException {
        return Files.createTempDirectory(root, prefix);
    }

    /** A new empty file inside this process's folder, deleted when the process exits normally. */
    public Path newFile(String prefix, String suffix) throws IOException {
        Path file = Files.createTempFile(root, prefix, suffix);
        file.toFile().deleteOnExit();
        return file;
    }

    /**
     * Removes the folders of dead geoetl processes beside this one: those whose lock can be taken. A
     * folder whose lock another process holds is left as it is. A folder without a lock file (a process
     * that exited while a task still had files, whose lock file the JVM deleted on exit; one killed while
     * making its folder) or still being made ({@code .new}, whose lock file may not be locked yet) is removed only
     * when no process of its id runs. Returns the folders removed.
     */
    public List<Path> removeLeftovers() {
        List<Path> removed = new ArrayList<>();
        // This process's own folder tells who "this user" is (a container's user may have no name).
        UserPrincipal owner;
        try {
            owner = Files.getOwner(root, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the owner of " + root, e);
        }
        try (DirectoryStream<Path> siblings = Files.newDirectoryStream(parent,
                path -> ANY_PROCESS_FOLDER.matcher(path.getFileName().toString()).matches())) {
            for (Path sibling : siblings) {
                try {
                    // Never open our own lock file: closing any channel on it would drop this process's lock.
                    if (!sibling.equals(root) && removeIfDead(sibling, owner)) {
                        removed.add(sibling);
                    }
                } catch (IOException | UncheckedIOException e) {
                    // Another process may be removing the same folder: what one sweep leaves, the next takes.
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + parent, e);
        }
        return removed;
    }

    private static boolean removeIfDead(Path folder, UserPrincipal user) throws IOException {
        // Only real folders of this user, with a plain lock file: a link could point the sweep at someone
        // else's files, and opening a FIFO named "lock" would block the start for good.
        if (!Files.isDirectory(folder, LinkOption.NOFOLLOW_LINKS)
                || !Files.getOwner(folder, LinkOption.NOFOLLOW_LINKS).equals(user)) {
            return false;
        }
        Path lockFile = folder.resolve(LOCK_FILE);
        if (Files.exists(lockFile, LinkOption.NOFOLLOW_LINKS)
                && !Files.isRegularFile(lockFile, LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        Matcher owner = ANY_PROCESS_FOLDER.matcher(folder.getFileName().toString());
        // A folder still being made may have its lock file before its owner has locked it: a free lock there
        // does not mean a dead owner (three processes starting at once removed each other's folders).
        boolean beingMade = owner.matches() && owner.group(2) != null;
        if (!Files.exists(lockFile, LinkOption.NOFOLLOW_LINKS) || beingMade) {
            if (!owner.matches() || ProcessHandle.of(Long.parseLong(owner.group(1))).isPresent()) {
                return false;
            }
            deleteTree(folder);
            return true;
        }
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException heldInThisJvm) {
                return false;
            }
            if (lock == null) {
                return false;
            }
            // Holding the dead owner's lock: a second process sweeping at the same moment skips this folder.
            deleteTree(folder);
            return true;
        } catch (NoSuchFileException gone) {
            return false;
        }
    }

    /** Deletes the folder's content, the lock file last, then the folder. */
    private static void deleteTree(Path folder) throws IOException {
        Path lockFile = folder.resolve(LOCK_FILE);
        try (Stream<Path> paths = Files.walk(folder)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                if (!path.equals(lockFile) && !path.equals(folder)) {
                    Files.deleteIfExists(path);
                }
            }
        }
        Files.deleteIfExists(lockFile);
        Files.deleteIfExists(folder);
    }

    /** Releases the lock and deletes the folder (tests; a running service keeps its folder to the end). */
    void close() throws IOException {
        deleteTree(root);
        lock.release();
        lockChannel.close();
    }

    private static String token() {
        StringBuilder token = new StringBuilder();
        for (int i = 0; i < 12; i++) {
            token.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return token.toString();
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // the original failure is the one to report
            }
        }
    }
}
