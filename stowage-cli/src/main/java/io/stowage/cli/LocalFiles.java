package io.stowage.cli;

import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;

/** Errors about local files, named as the user named the file rather than by a path they never typed. */
final class LocalFiles {

    private LocalFiles() {
    }

    /** {@code e}, of the same kind and reason, about {@code shown} (a temp file's or absolute path's error). */
    static FileSystemException named(FileSystemException e, String shown) {
        FileSystemException renamed = e instanceof AccessDeniedException ? new AccessDeniedException(shown)
                : e instanceof NoSuchFileException ? new NoSuchFileException(shown)
                : new FileSystemException(shown, null, e.getReason());
        renamed.initCause(e);
        return renamed;
    }
}
