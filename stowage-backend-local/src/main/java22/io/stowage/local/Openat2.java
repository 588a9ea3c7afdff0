package io.stowage.local;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.concurrent.locks.StampedLock;

/**
 * A held area's files opened in one system call each (decision 0102): Linux's {@code openat2} relative to the area's
 * directory with {@code RESOLVE_NO_SYMLINKS} and {@code RESOLVE_BENEATH}, which refuses a symbolic link on any name of
 * the way (the directories and the file) and anything outside the area. It answers what the walk of {@link HeldArea}
 * answers, one {@code lstat} a directory and an open without following the file, in a single call.
 *
 * <p>Compiled for Java 22 (the foreign-function API is final there) and loaded only on such a runtime, on Linux, by
 * {@link HeldArea}; on Java 21, or where the kernel refuses the call (older than 5.6, a filter that forbids it), the
 * walk answers as before. The file descriptor {@code openat2} returns becomes a {@link FileChannel} by opening its
 * {@code /proc/self/fd} entry, which names that same open file, and is then closed.
 */
final class Openat2 implements HeldArea.Beneath {

    private static final int O_RDONLY = 0;
    private static final int O_NOFOLLOW = 0x20000;
    private static final int O_DIRECTORY = 0x10000;
    private static final int O_CLOEXEC = 0x80000;
    private static final int O_PATH = 0x200000;
    private static final long RESOLVE_NO_MAGICLINKS = 0x02;
    private static final long RESOLVE_NO_SYMLINKS = 0x04;
    private static final long RESOLVE_BENEATH = 0x08;
    /** {@code openat2}'s number, the same on every architecture since Linux 5.6. */
    private static final long SYS_OPENAT2 = 437;
    private static final int ENOENT = 2;
    private static final int EINTR = 4;
    private static final int EPERM = 1;
    private static final int EAGAIN = 11;
    private static final int EACCES = 13;
    private static final int EXDEV = 18;
    private static final int ENOTDIR = 20;
    private static final int EINVAL = 22;
    private static final int ENOSYS = 38;
    private static final int ELOOP = 40;
    private static final int E2BIG = 7;
    private static final long READ_CHUNK = 8192;

    private static final StructLayout OPEN_HOW = MemoryLayout.structLayout(
            ValueLayout.JAVA_LONG.withName("flags"), ValueLayout.JAVA_LONG.withName("mode"),
            ValueLayout.JAVA_LONG.withName("resolve"));
    /**
     * The native functions, looked up only once {@link #hold} found native access enabled: the lookup itself is a
     * restricted call, which the JVM would warn about to whoever embeds the store without the flag.
     */
    private static final class Native {
        private static final StructLayout ERRNO = Linker.Option.captureStateLayout();
        private static final VarHandle ERRNO_VALUE = ERRNO.varHandle(MemoryLayout.PathElement.groupElement("errno"));
        private static final MethodHandle SYSCALL;
        private static final MethodHandle OPEN;
        private static final MethodHandle CLOSE;
        private static final MethodHandle READ;

        static {
            Linker linker = Linker.nativeLinker();
            Linker.Option errno = Linker.Option.captureCallState("errno");
            SYSCALL = linker.downcallHandle(linker.defaultLookup().find("syscall").orElseThrow(),
                    FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG,
                            ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG),
                    errno, Linker.Option.firstVariadicArg(1));
            OPEN = linker.downcallHandle(linker.defaultLookup().find("open").orElseThrow(),
                    FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT),
                    errno, Linker.Option.firstVariadicArg(2));
            CLOSE = linker.downcallHandle(linker.defaultLookup().find("close").orElseThrow(),
                    FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
            READ = linker.downcallHandle(linker.defaultLookup().find("read").orElseThrow(),
                    FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.ADDRESS,
                            ValueLayout.JAVA_LONG), errno);
        }
    }

    /** Keeps the descriptor from being closed (and its number reused) while a read uses it. */
    private final StampedLock lock = new StampedLock();
    private final int dirfd;
    private volatile boolean closed;

    private Openat2(int dirfd) {
        this.dirfd = dirfd;
    }

    /**
     * The area at {@code area} held as a descriptor of its own for {@code openat2}, when it is the directory
     * {@code identity} names; null when it is not, or the kernel does not answer {@code openat2} as expected.
     * Called by {@link HeldArea} through reflection (this class is not loaded on Java 21).
     */
    static HeldArea.Beneath hold(Path area, Object identity) throws IOException {
        if (!Openat2.class.getModule().isNativeAccessEnabled()) {
            return null; // the launcher enables it (bin/stowage); an embedder without the flag keeps the walk, unwarned
        }
        int fd;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(Native.ERRNO);
            fd = (int) Native.OPEN.invokeExact(state, arena.allocateFrom(area.toString(), StandardCharsets.UTF_8),
                    O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        } catch (Throwable e) {
            throw rethrown(e);
        }
        if (fd < 0) {
            return null;
        }
        Openat2 held = new Openat2(fd);
        boolean keep = false;
        try {
            Object found = Files.readAttributes(Path.of("/proc/self/fd/" + fd), BasicFileAttributes.class).fileKey();
            if (!identity.equals(found)) {
                return null;
            }
            // The kernel must know openat2 and its flags: asking for the area itself ("." is beneath it) tells.
            int probe = held.openat2(".", O_PATH | O_DIRECTORY | O_CLOEXEC);
            if (probe < 0) {
                return null;
            }
            close(probe);
            keep = true;
            return held;
        } catch (Declined e) {
            return null;
        } finally {
            if (!keep) {
                held.close();
            }
        }
    }

    /** What is done with a file opened below the area, its descriptor closed after. */
    private interface Use<T> {
        T with(int fd) throws Throwable;
    }

    /**
     * {@code use} of {@code relative} opened below the area, the descriptor closed after and kept from being closed
     * meanwhile; null where a name of the way is missing, is not a directory or is a link.
     */
    private <T> T opened(String relative, Use<T> use) throws IOException, Declined {
        long stamp = lock.readLock();
        try {
            if (closed) {
                throw Declined.INSTANCE;
            }
            int fd = openat2(relative, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
            if (fd < 0) {
                return null;
            }
            try {
                return use.with(fd);
            } catch (IOException | Declined e) {
                throw e;
            } catch (Throwable e) {
                throw rethrown(e);
            } finally {
                close(fd);
            }
        } finally {
            lock.unlockRead(stamp);
        }
    }

    @Override
    public FileChannel open(String relative) throws IOException, Declined {
        return opened(relative, fd -> {
            try {
                return FileChannel.open(Path.of("/proc/self/fd/" + fd), StandardOpenOption.READ);
            } catch (IOException e) {
                throw Declined.INSTANCE; // no /proc here: the walk answers
            }
        });
    }

    @Override
    public byte[] read(String relative, int max) throws IOException, Declined {
        return opened(relative, fd -> {
            try (Arena arena = Arena.ofConfined()) {
                // Read to the end, no fstat first: a sidecar is small, and a read that returns nothing says where it ends.
                MemorySegment state = arena.allocate(Native.ERRNO);
                MemorySegment buffer = arena.allocate(Math.min(max + 1L, READ_CHUNK));
                long filled = 0;
                while (true) {
                    if (filled == buffer.byteSize()) {
                        if (filled > max) {
                            return null;
                        }
                        MemorySegment larger = arena.allocate(Math.min(max + 1L, buffer.byteSize() * 4));
                        larger.copyFrom(buffer);
                        buffer = larger;
                    }
                    long n = (long) Native.READ.invokeExact(state, fd, buffer.asSlice(filled), buffer.byteSize() - filled);
                    if (n == 0) {
                        return filled > max ? null : buffer.asSlice(0, filled).toArray(ValueLayout.JAVA_BYTE);
                    }
                    if (n < 0) {
                        int errno = (int) Native.ERRNO_VALUE.get(state, 0L);
                        if (errno != EINTR) {
                            throw new IOException("read of " + relative + " failed: errno " + errno);
                        }
                    } else {
                        filled += n;
                    }
                }
            }
        });
    }

    /**
     * {@code openat2} of {@code relative} below the area: the descriptor, or -1 when a name of the way is missing,
     * is not a directory, is a symbolic link or leads outside the area.
     *
     * @throws Declined when the kernel does not do it (the caller walks instead)
     */
    private int openat2(String relative, int flags) throws IOException, Declined {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(Native.ERRNO);
            MemorySegment how = arena.allocate(OPEN_HOW);
            how.set(ValueLayout.JAVA_LONG, 0, flags);
            how.set(ValueLayout.JAVA_LONG, 16, RESOLVE_NO_SYMLINKS | RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS);
            MemorySegment path = arena.allocateFrom(relative, StandardCharsets.UTF_8);
            for (int attempt = 0; ; attempt++) {
                long fd = (long) Native.SYSCALL.invokeExact(state, SYS_OPENAT2, (long) dirfd, path, how, OPEN_HOW.byteSize());
                if (fd >= 0) {
                    return (int) fd;
                }
                int errno = (int) Native.ERRNO_VALUE.get(state, 0L);
                switch (errno) {
                    case ENOENT, ENOTDIR, ELOOP, EXDEV -> {
                        return -1;
                    }
                    // A rename elsewhere raced the lookup (the kernel asks to try again), or a signal came.
                    case EAGAIN, EINTR -> {
                        if (attempt >= 3) {
                            throw Declined.INSTANCE;
                        }
                    }
                    case ENOSYS, EPERM, EINVAL, E2BIG -> throw Declined.INSTANCE;
                    case EACCES -> throw new java.nio.file.AccessDeniedException(relative);
                    default -> throw new IOException("openat2 of " + relative + " failed: errno " + errno);
                }
            }
        } catch (IOException | Declined e) {
            throw e;
        } catch (Throwable e) {
            throw rethrown(e);
        }
    }

    private static void close(int fd) {
        try {
            int ignored = (int) Native.CLOSE.invokeExact(fd);
        } catch (Throwable e) {
            throw rethrown(e);
        }
    }

    private static RuntimeException rethrown(Throwable e) {
        if (e instanceof RuntimeException r) {
            throw r;
        }
        if (e instanceof Error err) {
            throw err;
        }
        throw new IllegalStateException(e);
    }

    @Override
    public void close() {
        long stamp = lock.writeLock();
        try {
            if (!closed) {
                closed = true;
                close(dirfd);
            }
        } finally {
            lock.unlockWrite(stamp);
        }
    }
}
