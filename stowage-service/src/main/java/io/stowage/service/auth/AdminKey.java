package io.stowage.service.auth;

import io.stowage.StorageException;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Optional;

/**
 * The first start's admin key (DESIGN §5): when the catalog holds no key, one for owner {@value #OWNER} with every
 * scope, written to {@code <home>/admin.key} and shown once; of several servers starting at once on one empty catalog,
 * exactly one makes it. Later starts say where the file is, or that it was
 * removed; they never show a key again.
 */
public final class AdminKey {

    /** The owner of the first admin key. */
    public static final String OWNER = "admin";
    /** The file's name under the home folder. */
    public static final String FILE_NAME = "admin.key";

    private final Path file;
    private final IssuedKey issued;

    private AdminKey(Path file, IssuedKey issued) {
        this.file = file;
        this.issued = issued;
    }

    /**
     * Makes the admin key when {@code keys} holds none, and writes it to {@code <stowageHome>/admin.key}: the file
     * is created with POSIX mode 0600 under a temporary name and then moved over any file of that name, so it is
     * never readable by others, not for an instant, and never half written. A file that cannot be written revokes
     * the key it was to hold. On a file system without POSIX permissions (Windows) it gets the folder's defaults.
     *
     * @throws StorageException {@code UNAVAILABLE} when the catalog cannot be reached, or the error of writing the
     *     file (the key is revoked then)
     */
    public static AdminKey ensure(Path stowageHome, ApiKeys keys) {
        Path file = stowageHome.toAbsolutePath().resolve(FILE_NAME);
        if (!keys.isEmpty()) {
            return new AdminKey(file, null);
        }
        // Decided again where the key is inserted: another server starting on the same empty catalog may have
        // made the first key since the check above.
        IssuedKey issued = keys.createFirst(OWNER, EnumSet.allOf(Scope.class)).orElse(null);
        if (issued == null) {
            return new AdminKey(file, null);
        }
        try {
            write(file, issued.key());
        } catch (IOException | RuntimeException e) {
            try {
                keys.revoke(issued.id());
            } catch (RuntimeException revokeFailed) {
                e.addSuppressed(revokeFailed);
            }
            throw e instanceof IOException io ? StorageException.io(null, "admin_key", null, io) : (RuntimeException) e;
        }
        return new AdminKey(file, issued);
    }

    private static void write(Path file, String key) throws IOException {
        Path dir = file.getParent();
        Files.createDirectories(dir);
        boolean posix = dir.getFileSystem().supportedFileAttributeViews().contains("posix");
        FileAttribute<?>[] ownerOnly = posix
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))}
                : new FileAttribute<?>[0];
        Path tmp = Files.createTempFile(dir, ".admin-", ".key.tmp", ownerOnly);
        try {
            try (Writer out = Files.newBufferedWriter(tmp, StandardCharsets.US_ASCII)) {
                out.write(key);
                out.write('\n');
            }
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Whether this call made the admin key. */
    public boolean created() {
        return issued != null;
    }

    /** The key this call made; empty when keys existed already. */
    public Optional<IssuedKey> issued() {
        return Optional.ofNullable(issued);
    }

    /** Where the admin key is (or was) written. */
    public Path file() {
        return file;
    }

    /**
     * What to tell the operator: the new key (the only time it is shown) and where it is kept; or, on later starts,
     * where the file is, or that it was removed and how to make another key.
     */
    public String message() {
        if (issued != null) {
            return "Created the first API key (owner " + OWNER + ", scopes read, write, admin). It is shown this once"
                    + " and kept in " + file + " (mode 0600):\n  " + issued.key();
        }
        return Files.exists(file)
                ? "API keys exist; the first admin key is in " + file
                : "API keys exist; " + file + " was removed (make another key with:"
                        + " stowage keys create --owner " + OWNER + " --scopes read,write,admin)";
    }

    @Override
    public String toString() {
        return "AdminKey[file=" + file + ", created=" + created() + "]";
    }
}
