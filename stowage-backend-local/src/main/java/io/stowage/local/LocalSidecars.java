package io.stowage.local;

import io.stowage.BlobKey;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The sidecar store of a local root: reads and writes the JSON sidecar that makes a key's content its
 * current object (or a version, or a trashed object), and the file steps every change is made of: atomic
 * renames through {@code tmp/}, directory fsyncs, hard links that keep content aside, pruning of empty
 * directories. Nothing here follows a symbolic link.
 */
final class LocalSidecars {

    /**
     * How a store makes what it wrote durable: a file's content ({@code fsync}), a directory's entries. Tests count and
     * order them.
     */
    interface Syncs {
        void force(FileChannel file) throws IOException;

        void dir(Path dir) throws IOException;

        /** The disk's own. */
        Syncs DISK = new Syncs() {
            @Override
            public void force(FileChannel file) throws IOException {
                file.force(true);
            }

            @Override
            public void dir(Path dir) throws IOException {
                try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
                    ch.force(true);
                }
            }
        };
    }

    /** A sidecar larger than this is not one (read as missing). */
    static final int MAX_SIDECAR = 1 << 20;

    private final Layout layout;
    private final TempFiles temps;
    private final boolean fsync;
    private final Syncs syncs;

    LocalSidecars(Layout layout, TempFiles temps, boolean fsync, Syncs syncs) {
        this.layout = layout;
        this.temps = temps;
        this.fsync = fsync;
        this.syncs = syncs;
    }

    /** Links {@code entry}'s current content into {@code dir} as {@code <version>} beside its sidecar. */
    void keepAside(Path dir, Sidecar current, Sidecar entry) throws IOException {
        Path target = dir.resolve(entry.versionId());
        try {
            link(target, layout.dataFile(current.key(), current.versionId()));
        } catch (FileAlreadyExistsException e) {
            // left by an interrupted earlier attempt: same version id, same content
        }
        writeSidecar(dir.resolve(entry.versionId() + ".json"), entry);
    }

    /**
     * Makes {@code target} a hard link to {@code source}, creating its directory; again when a concurrent delete
     * or purge of another key pruned that directory (or a parent shared with it) between its making and the link.
     */
    void link(Path target, Path source) throws IOException {
        for (int attempt = 0; ; attempt++) {
            try {
                layout.createDirs(target.getParent());
                Files.createLink(target, source);
                return;
            } catch (NoSuchFileException e) {
                if (attempt >= LocalBlobStore.RETRIES || !Files.exists(source, LinkOption.NOFOLLOW_LINKS)) {
                    throw e;
                }
            }
        }
    }

    /** Writes a sidecar through {@code tmp/} and renames it over {@code target}. */
    void writeSidecar(Path target, Sidecar sidecar) throws IOException {
        try (TempFiles.Temp t = writeTemp(sidecar)) {
            if (fsync) {
                syncs.force(t.channel);
            }
            rename(t, target);
        }
        syncDir(target.getParent());
    }

    /** A sidecar written to a file of its own in {@code tmp/}, not synced: the caller syncs it and {@link #rename}s it. */
    TempFiles.Temp writeTemp(Sidecar sidecar) throws IOException {
        TempFiles.Temp t = temps.create(".json.part");
        try {
            ByteBuffer bb = ByteBuffer.wrap(sidecar.toJson());
            while (bb.hasRemaining()) {
                t.channel.write(bb);
            }
            return t;
        } catch (IOException | RuntimeException e) {
            t.close();
            throw e;
        }
    }

    /** Renames a synced sidecar {@code t} over {@code target}; the caller syncs the directory that now names it. */
    void rename(TempFiles.Temp t, Path target) throws IOException {
        layout.createDirs(target.getParent());
        move(t, target);
    }

    /** {@link #move(Path, Path)} of a temp file, which then knows it is no longer in {@code tmp/}. */
    void move(TempFiles.Temp t, Path target) throws IOException {
        move(t.path, target);
        t.placed();
    }

    /**
     * Syncs the content of {@code content} (none when null), then of {@code sidecar}: with both written, and the content
     * already renamed into its directory, the first sync commits that rename too on a journaling file system, so the
     * directory's sync after them finds nothing left to commit (decision 0087).
     */
    void forceContentAndSidecar(FileChannel content, FileChannel sidecar) throws IOException {
        if (!fsync) {
            return;
        }
        if (content != null) {
            syncs.force(content);
        }
        syncs.force(sidecar);
    }

    /** Atomic rename, replacing {@code target}; recreates its directory if a concurrent delete pruned it. */
    void move(Path source, Path target) throws IOException {
        for (int attempt = 0; ; attempt++) {
            try {
                Files.move(source, target, java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                return;
            } catch (NoSuchFileException e) {
                if (attempt >= LocalBlobStore.RETRIES || !Files.exists(source, LinkOption.NOFOLLOW_LINKS)) {
                    throw e;
                }
                layout.createDirs(target.getParent());
            }
        }
    }

    void syncDir(Path dir) throws IOException {
        if (!fsync) {
            return;
        }
        syncs.dir(dir);
    }

    /** The current sidecar of {@code key}, or null when there is none (or it is reached through a link). */
    Sidecar readSidecar(BlobKey key) throws IOException {
        byte[] json = layout.readFile(layout.metadata, key, Layout.name(key) + Layout.SIDECAR_SUFFIX, MAX_SIDECAR);
        if (json == null) {
            return null;
        }
        try {
            return Sidecar.parse(json, key);
        } catch (IOException e) {
            return null;
        }
    }

    /** Reads a sidecar file without following a link; null when missing or unreadable as a sidecar. */
    static Sidecar readSidecarFile(Path p) throws IOException {
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            return readSidecar(ch, null);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            // ELOOP: the sidecar itself is a symbolic link
            if (Files.isSymbolicLink(p)) {
                return null;
            }
            throw e;
        }
    }

    /** An opened sidecar, expected to be {@code expected}'s when not null (see {@link Sidecar#parse}); null when unreadable as one. */
    private static Sidecar readSidecar(FileChannel ch, BlobKey expected) throws IOException {
        byte[] json = HeldArea.readAll(ch, MAX_SIDECAR);
        if (json == null) {
            return null;
        }
        try {
            return Sidecar.parse(json, expected);
        } catch (IOException e) {
            return null;
        }
    }

    /** Opens the content of {@code key}'s version {@code versionId} without following links; null when it is gone. */
    FileChannel openData(BlobKey key, String versionId) throws IOException {
        return layout.openFile(layout.data, key, Layout.name(key) + Layout.OBJECT_MARK + versionId);
    }

    /** Opens a data file without following links; null when it is gone. */
    FileChannel openData(Path file) throws IOException {
        return layout.openReal(file);
    }

    /** Removes empty directories from {@code dir} up to (not including) {@code area}. */
    void pruneEmptyDirs(Path dir, Path area) {
        for (Path d = dir; d != null && d.startsWith(area) && !d.equals(area); d = d.getParent()) {
            try {
                Files.delete(d);
            } catch (IOException e) {
                return; // not empty (or already gone): stop
            }
        }
    }
}
