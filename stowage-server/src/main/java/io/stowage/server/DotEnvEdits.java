package io.stowage.server;

import io.stowage.config.DotEnvFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Changes to a {@code .env} file as specification 004's admin panel makes them: values replaced where their line
 * is (comments, order and every other line kept), new names appended, a timestamped copy of the previous file
 * beside it ({@code .env.backup-20301231T235959.123Z}) and the last copy put back on a rollback. Files are written
 * whole and moved into place, readable by their owner only where the file system has POSIX permissions: a
 * {@code .env} holds secrets.
 */
final class DotEnvEdits {

    static final String FILE = ".env";
    static final String BACKUP_PREFIX = ".env.backup-";
    static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}");
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    private DotEnvEdits() {
    }

    /** The variables {@code content} sets, as the configuration reads them; lines it cannot read are left out. */
    static Map<String, String> parse(String content) {
        return DotEnvFile.parse(content, new ArrayList<>());
    }

    /** {@code original} with each of {@code changes} set: its line(s) rewritten in place, or a line appended. */
    static String edit(String original, Map<String, String> changes) {
        Set<String> pending = new LinkedHashSet<>(changes.keySet());
        List<String> lines = new ArrayList<>(List.of(original.split("\r?\n", -1)));
        if (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) {
            lines.remove(lines.size() - 1);
        }
        for (int i = 0; i < lines.size(); i++) {
            Optional<String> name = DotEnvFile.nameOf(lines.get(i)).filter(changes::containsKey);
            if (name.isPresent()) {
                lines.set(i, line(name.get(), changes.get(name.get())));
                pending.remove(name.get());
            }
        }
        pending.forEach(name -> lines.add(line(name, changes.get(name))));
        return lines.isEmpty() ? "" : String.join("\n", lines) + "\n";
    }

    private static String line(String name, String value) {
        boolean plain = !value.isEmpty() && value.chars().allMatch(c -> c > ' ' && c < 127 && c != '"' && c != '\''
                && c != '\\' && c != '#' && c != '$' && c != '`');
        if (plain) {
            return name + "=" + value;
        }
        StringBuilder sb = new StringBuilder(name).append("=\"");
        for (char c : value.toCharArray()) {
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\t' -> sb.append("\\t");
                default -> sb.append(c);
            }
        }
        return sb.append('"').toString();
    }

    /** The {@code .env} of {@code dir}, empty when there is none. */
    static String read(Path dir) {
        Path file = dir.resolve(FILE);
        try {
            return Files.isRegularFile(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Keeps {@code content} (the file about to be replaced) as a new backup; its name. */
    static Path backup(Path dir, String content, Instant now) {
        String stamp = STAMP.format(now);
        for (int n = 0; ; n++) {
            Path target = dir.resolve(BACKUP_PREFIX + stamp + (n == 0 ? "" : "-" + n));
            try {
                writeNew(target, content);
                return target;
            } catch (FileAlreadyExistsException e) {
                // Two changes in one millisecond: the next name.
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** The backups of {@code dir}, oldest first (their names sort by time). */
    static List<Path> backups(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().startsWith(BACKUP_PREFIX))
                    .sorted(java.util.Comparator.comparing(DotEnvEdits::stamp).thenComparing(DotEnvEdits::suffix)).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String stamp(Path backup) {
        return backup.getFileName().toString().substring(BACKUP_PREFIX.length()).split("-", 2)[0];
    }

    /** The number that tells apart backups of one millisecond (none: 0). */
    private static int suffix(Path backup) {
        String[] parts = backup.getFileName().toString().substring(BACKUP_PREFIX.length()).split("-", 2);
        try {
            return parts.length < 2 ? 0 : Integer.parseInt(parts[1]);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    static Optional<Path> lastBackup(Path dir) {
        List<Path> all = backups(dir);
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
    }

    /** Replaces the {@code .env} of {@code dir} with {@code content}, whole. */
    static void write(Path dir, String content) {
        Path file = dir.resolve(FILE);
        Path temp = dir.resolve(FILE + ".tmp-" + System.nanoTime());
        try {
            writeNew(temp, content);
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException ignored) {
                // The failure to report is the write's.
            }
            throw new UncheckedIOException(e);
        }
    }

    private static void writeNew(Path file, String content) throws IOException {
        if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } else {
            Files.createFile(file);
        }
        Files.writeString(file, content, StandardCharsets.UTF_8);
    }
}
