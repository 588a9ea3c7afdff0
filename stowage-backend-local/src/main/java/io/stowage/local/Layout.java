package io.stowage.local;

import io.stowage.BlobKey;
import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;

/**
 * Where things live under the root. For a key {@code a/b/c} with encoded segments (see
 * {@link KeyCodec}):
 *
 * <pre>
 * metadata/a/b/c~.json          the current object's sidecar (the commit record)
 * data/a/b/c~&lt;version&gt;          its content; the sidecar names the version
 * versions/a/b/c~/&lt;v&gt;[.json]    older versions: content and sidecar
 * trash/a/b/c~/&lt;v&gt;[.json]       deleted objects: content and sidecar (with the deletion time)
 * tmp/&lt;pid&gt;-&lt;uuid&gt;.*            writes in progress and intents, each locked by its writer
 * </pre>
 *
 * Every path is built from encoded segments, which hold no separator and no {@code .}/{@code ..}
 * name, and is checked to lie under the root all the same.
 */
final class Layout implements Closeable {

    static final String OBJECT_MARK = "~";
    static final String SIDECAR_SUFFIX = "~.json";

    final Path root;
    final Path data;
    final Path metadata;
    final Path versions;
    final Path trash;
    final Path tmp;
    /** The root's text, which every path below it starts with. */
    private final String rootText;
    /** {@code data/} and {@code metadata/} held open ({@link #holdAreas}); null until then, or where it cannot be. */
    private volatile HeldArea heldData;
    private volatile HeldArea heldMetadata;

    Layout(Path root) {
        this.root = root;
        this.data = root.resolve("data");
        this.metadata = root.resolve("metadata");
        this.versions = root.resolve("versions");
        this.trash = root.resolve("trash");
        this.tmp = root.resolve("tmp");
        this.rootText = root.toString();
    }

    List<Path> areas() {
        return List.of(data, metadata, versions, trash, tmp);
    }

    /** The directory of {@code key}'s parent segments inside {@code area}. */
    Path dir(Path area, BlobKey key) {
        String parents = parents(key);
        // One path of the encoded segments, resolved once: a resolve per segment cost every read a path each.
        return checked(parents.isEmpty() ? area : area.resolve(parents));
    }

    /**
     * {@code key}'s parent segments, encoded and joined by {@code /} ({@code ""} for a key of one segment): no name in it
     * is empty, {@code .} or {@code ..} (a key has no such segment, and an encoded segment never starts with a dot).
     */
    static String parents(BlobKey key) {
        String value = key.value();
        int last = value.lastIndexOf('/');
        if (last < 0) {
            return "";
        }
        StringBuilder parents = new StringBuilder(last + 16);
        int start = 0;
        while (true) {
            int slash = value.indexOf('/', start);
            parents.append(KeyCodec.encode(value.substring(start, slash)));
            if (slash == last) {
                return parents.toString();
            }
            parents.append('/');
            start = slash + 1;
        }
    }

    /** The directory for the complete segments of a list prefix ({@code "a/b/c"} gives {@code a/b}). */
    Path prefixDir(Path area, String prefix) {
        Path p = area;
        int start = 0;
        int slash;
        while ((slash = prefix.indexOf('/', start)) >= 0) {
            p = p.resolve(KeyCodec.encode(prefix.substring(start, slash)));
            start = slash + 1;
        }
        return checked(p);
    }

    static String name(BlobKey key) {
        return KeyCodec.encode(key.name());
    }

    Path sidecar(BlobKey key) {
        return dir(metadata, key).resolve(name(key) + SIDECAR_SUFFIX);
    }

    Path dataFile(BlobKey key, String versionId) {
        return dir(data, key).resolve(name(key) + OBJECT_MARK + versionId);
    }

    /** The per-key directory of versions or trashed copies. */
    Path keyDir(Path area, BlobKey key) {
        return dir(area, key).resolve(name(key) + OBJECT_MARK);
    }

    /**
     * Opens {@code name} in {@code key}'s directory of {@code area} for reading, following no symbolic link below the
     * root: null when it or a directory on the way is missing, or a link stands anywhere on the way (as
     * {@link #realDir} and an open with {@link LinkOption#NOFOLLOW_LINKS} refuse it). Below a held area it asks
     * relative to the area's directory (decision 0093), else by paths.
     */
    FileChannel openFile(Path area, BlobKey key, String name) throws IOException {
        String parents = parents(key);
        HeldArea held = held(area);
        if (held != null) {
            try {
                return held.open(parents, name);
            } catch (HeldArea.Unavailable e) {
                // the area moved, was replaced, or the store closed: by paths, which say what stands there now
            }
        }
        return openByPath(area, parents, name);
    }

    /**
     * The bytes of {@code name} in {@code key}'s directory of {@code area}, found as {@link #openFile} finds it: null
     * where it answers null, or when the file holds more than {@code max} bytes.
     */
    byte[] readFile(Path area, BlobKey key, String name, int max) throws IOException {
        String parents = parents(key);
        HeldArea held = held(area);
        if (held != null) {
            try {
                return held.read(parents, name, max);
            } catch (HeldArea.Unavailable e) {
                // as in openFile: by paths
            }
        }
        FileChannel ch = openByPath(area, parents, name);
        return ch == null ? null : HeldArea.readAll(ch, max);
    }

    /** The held directory of {@code area} ({@code data/} or {@code metadata/}); null for another area or none held. */
    private HeldArea held(Path area) {
        return area == data ? heldData : area == metadata ? heldMetadata : null;
    }

    /** {@code name} in {@code parents} of {@code area}, opened by its path as {@link #openReal} opens it. */
    private FileChannel openByPath(Path area, String parents, String name) throws IOException {
        return openReal(checked(parents.isEmpty() ? area : area.resolve(parents)).resolve(name));
    }

    /**
     * Opens {@code file} for reading by its path, following no symbolic link below the root: null when it or a
     * directory on the way is missing, or a link stands anywhere on the way.
     */
    FileChannel openReal(Path file) throws IOException {
        try {
            if (!realDir(file.getParent())) {
                return null;
            }
            return FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException | SymlinkException e) {
            return null;
        } catch (IOException e) {
            if (Files.isSymbolicLink(file)) {
                return null; // ELOOP: a planted link is not followed
            }
            throw e;
        }
    }

    /** Holds {@code data/} and {@code metadata/} open for {@link #openFile}, once the store has made them. */
    void holdAreas() throws IOException {
        heldData = HeldArea.hold(data);
        heldMetadata = HeldArea.hold(metadata);
    }

    /** Lets go of the held areas; reads after it go by paths. */
    @Override
    public void close() throws IOException {
        for (HeldArea held : new HeldArea[] {heldData, heldMetadata}) {
            if (held != null) {
                held.close();
            }
        }
    }

    private Path checked(Path p) {
        Path n = p.normalize();
        if (!n.startsWith(root) || !n.equals(p)) {
            throw new IllegalStateException("path escapes the root: " + p);
        }
        return n;
    }

    /**
     * Whether {@code dir} exists as a real directory reached without any symbolic link below the root.
     * Below the root (resolved when the store opened) each name on the way is looked at without following
     * it, one {@code lstat} a name: resolving the whole path ({@link Path#toRealPath}) asked the file system
     * about every name from {@code /} down, twice for every read of an object.
     *
     * @throws SymlinkException when a symbolic link stands somewhere on the way
     */
    boolean realDir(Path dir) throws IOException {
        if (!dir.startsWith(root)) {
            return resolvesToItself(dir);
        }
        // By the path's text, one name after another below the root: relativizing, iterating and resolving paths
        // cost a read more than the lstat calls themselves (decision 0086). A path below the root is its text
        // followed by '/' and the names (the paths here are normalized, see checked).
        String path = dir.toString();
        int names = rootText.endsWith("/") ? rootText.length() : rootText.length() + 1;
        BasicFileAttributes attributes = null;
        for (int start = names; start < path.length(); ) {
            int slash = path.indexOf('/', start);
            int end = slash < 0 ? path.length() : slash;
            try {
                attributes = Files.readAttributes(root.getFileSystem().getPath(path.substring(0, end)),
                        BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            } catch (NoSuchFileException e) {
                return false;
            }
            if (attributes.isSymbolicLink()) {
                throw new SymlinkException(path.substring(names));
            }
            if (!attributes.isDirectory()) {
                return false;
            }
            start = end + 1;
        }
        return attributes != null || Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS);
    }

    /** {@link #realDir} of a directory outside the root: the whole path resolved. */
    private boolean resolvesToItself(Path dir) throws IOException {
        Path real;
        try {
            real = dir.toRealPath();
        } catch (NoSuchFileException e) {
            return false;
        }
        if (!real.equals(dir)) {
            throw new SymlinkException(root.relativize(dir).toString());
        }
        return Files.readAttributes(dir, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).isDirectory();
    }

    /** Creates {@code dir} and its parents, refusing to go through symbolic links. */
    void createDirs(Path dir) throws IOException {
        for (int attempt = 0; ; attempt++) {
            try {
                Files.createDirectories(dir);
                if (!realDir(dir)) {
                    throw new NoSuchFileException(dir.toString());
                }
                return;
            } catch (NoSuchFileException e) {
                // A delete of another key pruned a parent it had emptied while this made the children: again.
                if (attempt >= LocalBlobStore.RETRIES) {
                    throw e;
                }
            }
        }
    }

    /** A symbolic link found where the store expects its own directories. */
    static final class SymlinkException extends IOException {
        private static final long serialVersionUID = 1L;

        SymlinkException(String where) {
            super("symbolic link on the path " + where + " inside the store root; not followed");
        }
    }
}
