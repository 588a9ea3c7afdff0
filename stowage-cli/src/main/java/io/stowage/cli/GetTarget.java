package io.stowage.cli;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

/**
 * Where {@code stowage get key <file>} writes, decided before a byte is read.
 *
 * <ul>
 *   <li>A regular file (or a name that does not exist yet) is written to a hidden temp file beside it
 *       and renamed over it when complete: a failure leaves nothing, and never half a file.</li>
 *   <li>Anything else that exists (a character or block device, a FIFO, a socket) is written in place:
 *       renaming over it would replace the device or the pipe with a regular file. So is an open file
 *       descriptor ({@code /dev/stderr}, {@code /dev/fd/N}, {@code /proc/self/fd/N}), whatever it is
 *       open on; {@code /dev/stdout} is the command's standard output, like {@code -}.</li>
 *   <li>A symbolic link is followed, never replaced: the file it points to gets the content (renamed
 *       into place beside that file). A dangling link's target is created; a loop is refused.</li>
 *   <li>An existing directory, or a name ending in {@code /}, is a directory: the file is written inside
 *       it under the key's last segment. A directory named with a trailing {@code /} is created when
 *       missing (with its parents); a trailing {@code /} on an existing non-directory is refused.</li>
 * </ul>
 */
record GetTarget(Path path, Kind kind) {

    /** How the content reaches {@link #path()}. */
    enum Kind {
        /** Temp file beside {@code path}, renamed over it when complete. */
        RENAME,
        /** Opened and written where it is (device, FIFO, socket, open file descriptor). */
        IN_PLACE,
        /** The command's standard output. */
        STDOUT
    }

    /** The Linux limit on links followed while resolving one path. */
    private static final int MAX_LINKS = 40;

    private static final Set<String> STDOUT_NAMES = Set.of("/dev/stdout", "/dev/fd/1", "/proc/self/fd/1");

    /**
     * @param typed   the path the user typed, resolved against the working directory
     * @param asTyped the text the user typed (a trailing {@code /} names a directory)
     * @param name    the file name to use inside a directory (the key's last segment)
     */
    static GetTarget of(Path typed, String asTyped, String name) throws IOException {
        Path dest = typed;
        if (STDOUT_NAMES.contains(dest.toString())) {
            return new GetTarget(dest, Kind.STDOUT);
        }
        if (isDescriptor(dest)) {
            return new GetTarget(dest, Kind.IN_PLACE);
        }
        if (asTyped.endsWith("/")) {
            if (Files.exists(dest) && !Files.isDirectory(dest)) {
                throw new FileSystemException(asTyped, null, "not a directory");
            }
            Files.createDirectories(dest);
        }
        if (Files.isDirectory(dest)) {
            dest = dest.resolve(name);
        }
        if (Files.exists(dest)) {
            // Follows links: what is at the end of the chain decides.
            if (Files.isDirectory(dest)) {
                throw new FileSystemException(dest.toString(), null, "is a directory");
            }
            if (Files.isRegularFile(dest)) {
                return new GetTarget(dest.toRealPath(), Kind.RENAME);
            }
            return new GetTarget(dest, Kind.IN_PLACE);
        }
        return new GetTarget(endOfDanglingChain(dest, asTyped), Kind.RENAME);
    }

    /** {@code p} itself when it is no link; else the missing file a chain of links ends at. */
    private static Path endOfDanglingChain(Path p, String asTyped) throws IOException {
        Path at = p.toAbsolutePath();
        for (int hops = 0; Files.isSymbolicLink(at); hops++) {
            if (hops == MAX_LINKS) {
                throw new FileSystemException(asTyped, null, "symbolic link loop (or a chain of more than "
                        + MAX_LINKS + " links); nothing was written");
            }
            at = at.getParent().resolve(Files.readSymbolicLink(at)).normalize();
        }
        if (isDescriptor(at)) {
            throw new FileSystemException(asTyped, null, "points to " + at + ", which is not open");
        }
        return at;
    }

    /** A file descriptor's name: opening it reaches whatever the descriptor is open on. */
    private static boolean isDescriptor(Path p) {
        String s = p.toAbsolutePath().toString();
        return s.equals("/dev/stderr") || s.startsWith("/dev/fd/") || s.startsWith("/proc/self/fd/");
    }
}
