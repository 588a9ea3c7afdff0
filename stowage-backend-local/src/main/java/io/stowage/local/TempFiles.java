package io.stowage.local;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BiConsumer;

/**
 * Files in {@code tmp/}: writes in progress and intents. Each is named {@code <pid>-<uuid><suffix>} and
 * locked (a {@link FileLock}) by its writer for as long as it exists, so a later start can tell a file
 * whose writer died (the lock can be taken) from one another process is still writing.
 *
 * <p>Files of this JVM are also kept in a process-wide set and never probed: on Linux, closing any
 * channel to a file drops every lock this process holds on it, so probing our own file would unlock it.
 */
final class TempFiles {

    private static final Set<Path> LIVE = ConcurrentHashMap.newKeySet();
    private static final long PID = ProcessHandle.current().pid();

    private final Path dir;

    TempFiles(Path dir) {
        this.dir = dir;
    }

    /** Creates and locks a new temp file; the caller closes it. */
    Temp create(String suffix) throws IOException {
        // Unique, not secret (CREATE_NEW refuses a clash): ThreadLocalRandom, not the JDK's one shared SecureRandom lock.
        ThreadLocalRandom random = ThreadLocalRandom.current();
        Path p = dir.resolve(PID + "-" + new UUID(random.nextLong(), random.nextLong()) + suffix);
        LIVE.add(p);
        FileChannel ch = null;
        try {
            ch = FileChannel.open(p, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                    StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
            ch.lock();
            return new Temp(p, ch);
        } catch (IOException | RuntimeException e) {
            if (ch != null) {
                ch.close();
            }
            Files.deleteIfExists(p);
            LIVE.remove(p);
            throw e;
        }
    }

    /**
     * Removes temp files whose writer is gone. Intents (suffix {@code .intent}) are handed to
     * {@code recover} with their content while still locked, before they are deleted.
     *
     * @return how many files were removed
     */
    int removeStale(BiConsumer<Path, byte[]> recover) throws IOException {
        List<Path> candidates = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                if (!LIVE.contains(p) && Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) && writerGone(p)) {
                    candidates.add(p);
                }
            }
        }
        int removed = 0;
        for (Path p : candidates) {
            if (LIVE.contains(p)) {
                continue;
            }
            try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ, StandardOpenOption.WRITE,
                    LinkOption.NOFOLLOW_LINKS)) {
                FileLock lock;
                try {
                    lock = ch.tryLock();
                } catch (OverlappingFileLockException e) {
                    continue; // held in this JVM: live
                }
                if (lock == null) {
                    continue; // held by another live process
                }
                if (p.getFileName().toString().endsWith(".intent")) {
                    ByteBuffer buf = ByteBuffer.allocate((int) Math.min(ch.size(), 1 << 16));
                    while (buf.hasRemaining() && ch.read(buf) > 0) {
                        // read the whole intent
                    }
                    recover.accept(p, java.util.Arrays.copyOf(buf.array(), buf.position()));
                }
                Files.deleteIfExists(p);
                removed++;
            } catch (java.nio.file.NoSuchFileException e) {
                // its writer finished meanwhile
            }
        }
        return removed;
    }

    /**
     * A file of our own pid that this JVM does not hold is left over from an earlier process with the
     * same pid; a file of another running process may be between its creation and its lock, so it is
     * left alone (a later start removes it once that process is gone).
     */
    private static boolean writerGone(Path p) {
        String name = p.getFileName().toString();
        int dash = name.indexOf('-');
        if (dash <= 0) {
            return true;
        }
        long pid;
        try {
            pid = Long.parseLong(name.substring(0, dash));
        } catch (NumberFormatException e) {
            return true;
        }
        return pid == PID || ProcessHandle.of(pid).map(h -> !h.isAlive()).orElse(true);
    }

    /**
     * One locked temp file. Closing deletes it if it is still in {@code tmp/} and releases the lock; once
     * {@linkplain #placed placed} elsewhere, closing leaves {@code tmp/} alone (the delete's {@code lstat} of a name
     * that is gone was two of an upload's system calls; decision 0107).
     */
    static final class Temp implements AutoCloseable {
        final Path path;
        final FileChannel channel;
        private boolean placed;

        Temp(Path path, FileChannel channel) {
            this.path = path;
            this.channel = channel;
        }

        /** Says the file was renamed out of {@code tmp/}: nothing is left at {@link #path} for closing to delete. */
        void placed() {
            placed = true;
        }

        @Override
        public void close() throws IOException {
            try {
                if (!placed) {
                    Files.deleteIfExists(path);
                }
            } finally {
                try {
                    channel.close();
                } finally {
                    LIVE.remove(path);
                }
            }
        }
    }
}
