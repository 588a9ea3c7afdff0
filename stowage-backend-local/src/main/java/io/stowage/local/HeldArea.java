package io.stowage.local;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.ClosedDirectoryStreamException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Set;

/**
 * One of the store's areas ({@code data/}, {@code metadata/}) held open as a directory, so that a read looks at the
 * names below it relative to it ({@code fstatat} and {@code openat} on the held directory): the kernel then walks
 * the names of the key's directories, not the root's whole path again for each of them and for the file.
 *
 * <p>It refuses what {@link Layout#realDir} and an open with {@link LinkOption#NOFOLLOW_LINKS} refuse: every name
 * below the area is looked at without following it, one {@code lstat} a name, and the file is opened without
 * following a link. The area itself is looked at by its path each time, and must still be the directory held
 * (same device and inode, which cannot be reused while it is held open): an area moved away, or replaced by a link
 * or by another directory, makes {@link #open} answer {@link Unavailable}, and the caller goes the way of paths.
 */
final class HeldArea implements Closeable {

    /** {@link #open} cannot tell: the area is no longer the directory held, or the store closed it. */
    static final class Unavailable extends Exception {
        private static final long serialVersionUID = 1L;

        Unavailable() {
            super("the held area cannot answer", null, false, false);
        }
    }

    /**
     * The area's files opened in one call each, names checked by the kernel (decision 0102): {@code Openat2} on Java 22
     * and later on Linux, none elsewhere.
     */
    interface Beneath extends Closeable {

        /** The kernel cannot do it here: the walk answers instead. */
        final class Declined extends Exception {
            private static final long serialVersionUID = 1L;
            static final Declined INSTANCE = new Declined();

            private Declined() {
                super("opening beneath the area is not available", null, false, false);
            }
        }

        /**
         * Opens {@code relative} (encoded names joined by {@code /}) below the area for reading: null when a name of the
         * way is missing, is not a directory or is a symbolic link, as the walk answers.
         */
        FileChannel open(String relative) throws IOException, Declined;

        /**
         * The bytes of {@code relative} below the area, read whole without a channel: null where {@link #open} answers
         * null, or when the file holds more than {@code max} bytes.
         */
        byte[] read(String relative, int max) throws IOException, Declined;

        @Override
        void close();
    }

    /** Whether {@code Openat2} may be used: {@code -Dstowage.local.openat2=false} keeps the walk (tests of both). */
    static final String OPENAT2 = "stowage.local.openat2";
    private static final Unavailable UNAVAILABLE = new Unavailable();
    private static final Set<OpenOption> READ = Set.of(StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);

    private final Path path;
    private final SecureDirectoryStream<Path> dir;
    private final Object identity;
    private final FileSystem fs;
    /** The kernel's one-call open below the area, or null: the walk. Dropped once the kernel declines. */
    private volatile Beneath beneath;

    private HeldArea(Path path, SecureDirectoryStream<Path> dir, Object identity, Beneath beneath) {
        this.path = path;
        this.dir = dir;
        this.identity = identity;
        this.fs = path.getFileSystem();
        this.beneath = beneath;
    }

    /**
     * Holds {@code area} open (a directory the store has just checked to be real); null where the file system offers
     * no directory handle to look below (no {@link SecureDirectoryStream}) or no identity of its files.
     */
    static HeldArea hold(Path area) throws IOException {
        DirectoryStream<Path> stream = Files.newDirectoryStream(area);
        if (stream instanceof SecureDirectoryStream<Path> secure) {
            Object identity = secure.getFileAttributeView(BasicFileAttributeView.class).readAttributes().fileKey();
            if (identity != null) {
                return new HeldArea(area, secure, identity, beneath(area, identity));
            }
        }
        stream.close();
        return null;
    }

    /**
     * {@code Openat2} holding {@code area} where the runtime (Java 22 or later, on Linux) and the kernel offer it; null
     * otherwise. It is compiled for Java 22 and looked up by name, so Java 21 never loads it.
     */
    private static Beneath beneath(Path area, Object identity) {
        if (Runtime.version().feature() < 22 || !"Linux".equals(System.getProperty("os.name"))
                || !Boolean.parseBoolean(System.getProperty(OPENAT2, "true"))
                || !area.getFileSystem().equals(java.nio.file.FileSystems.getDefault())) {
            return null;
        }
        try {
            return (Beneath) Class.forName(HeldArea.class.getPackageName() + ".Openat2")
                    .getDeclaredMethod("hold", Path.class, Object.class).invoke(null, area, identity);
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            return null;
        }
    }

    /** Whether reads below the area are opened in one call each ({@link Beneath}), for tests. */
    boolean opensBeneath() {
        return beneath != null;
    }

    /**
     * Opens {@code name} in the directory {@code parents} (encoded segments joined by {@code /}, which hold no
     * {@code .}, {@code ..} or empty name; empty for the area itself) for reading.
     *
     * @return the file, or null when it or a directory on the way is missing, is not a directory, or is a link
     * @throws Unavailable when the area is no longer the one held: ask by paths instead
     */
    FileChannel open(String parents, String name) throws IOException, Unavailable {
        try {
            checkArea();
            Beneath kernel = beneath;
            if (kernel != null) {
                try {
                    return kernel.open(parents.isEmpty() ? name : parents + "/" + name);
                } catch (Beneath.Declined e) {
                    declined(kernel);
                }
            }
            if (!parents.isEmpty()) {
                for (int end = parents.indexOf('/'); ; end = parents.indexOf('/', end + 1)) {
                    BasicFileAttributes names;
                    try {
                        names = attributes(end < 0 ? parents : parents.substring(0, end));
                    } catch (NoSuchFileException e) {
                        return null;
                    }
                    if (names.isSymbolicLink() || !names.isDirectory()) {
                        return null;
                    }
                    if (end < 0) {
                        break;
                    }
                }
            }
            Path file = fs.getPath(parents.isEmpty() ? name : parents + "/" + name);
            SeekableByteChannel channel;
            try {
                channel = dir.newByteChannel(file, READ);
            } catch (NoSuchFileException e) {
                return null;
            } catch (IOException e) {
                // ELOOP: the file itself is a symbolic link
                if (attributes(file).isSymbolicLink()) {
                    return null;
                }
                throw e;
            }
            if (channel instanceof FileChannel opened) {
                return opened;
            }
            channel.close();
            throw UNAVAILABLE;
        } catch (ClosedDirectoryStreamException e) {
            throw UNAVAILABLE;
        }
    }

    /**
     * The bytes of {@code name} in {@code parents}, as {@link #open} finds it: null when {@link #open} answers null, or
     * when it holds more than {@code max} bytes. The kernel's one-call open reads it without a channel (no
     * {@code /proc} reopening, no {@code fstat}).
     *
     * @throws Unavailable when the area is no longer the one held: ask by paths instead
     */
    byte[] read(String parents, String name, int max) throws IOException, Unavailable {
        Beneath kernel = beneath;
        if (kernel != null) {
            checkArea();
            try {
                return kernel.read(parents.isEmpty() ? name : parents + "/" + name, max);
            } catch (Beneath.Declined e) {
                declined(kernel);
            }
        }
        FileChannel ch = open(parents, name);
        return ch == null ? null : readAll(ch, max);
    }

    /** What {@code ch} holds, read whole, and closed; null when it holds more than {@code max} bytes. */
    static byte[] readAll(FileChannel ch, int max) throws IOException {
        try (ch) {
            long size = ch.size();
            if (size > max) {
                return null;
            }
            ByteBuffer bb = ByteBuffer.allocate((int) size);
            while (bb.hasRemaining() && ch.read(bb) >= 0) {
                // read all
            }
            return bb.position() == bb.capacity() ? bb.array() : java.util.Arrays.copyOf(bb.array(), bb.position());
        }
    }

    /** The kernel declined {@code kernel}'s open: from now on the walk, which needs nothing the kernel lacks. */
    private void declined(Beneath kernel) {
        beneath = null;
        kernel.close();
    }

    /** That the area's path still names the directory held. */
    private void checkArea() throws IOException, Unavailable {
        BasicFileAttributes area;
        try {
            area = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            throw UNAVAILABLE;
        }
        if (!identity.equals(area.fileKey())) {
            throw UNAVAILABLE;
        }
    }

    /** The attributes of {@code names} below the area, not following a link. */
    private BasicFileAttributes attributes(String names) throws IOException {
        return attributes(fs.getPath(names));
    }

    private BasicFileAttributes attributes(Path below) throws IOException {
        return dir.getFileAttributeView(below, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS).readAttributes();
    }

    @Override
    public void close() throws IOException {
        Beneath kernel = beneath;
        if (kernel != null) {
            kernel.close();
        }
        dir.close();
    }
}
