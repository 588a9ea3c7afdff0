package io.stowage.service;

import io.stowage.manager.StorageManager;
import io.stowage.spi.BackendConfig;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code temp-cleanup} (spec 000): removes files older than {@code maintenance.temp_max_age}
 * ({@code STOWAGE_TEMP_MAX_AGE}) from the temporary areas: {@code STOWAGE_HOME/tmp}, each local backend's
 * {@code tmp/}, and the folders {@code maintenance.temp_dirs} names; then the folders they leave empty. A file
 * someone holds a lock on (a local backend's write in flight) is in use and stays, however old; symbolic links are
 * never followed, and the areas themselves stay. Every node runs it on its own disk ({@link #perNode()}).
 */
final class TempCleanupJob implements MaintenanceJob {

    private final List<Path> areas;
    private final Duration maxAge;

    TempCleanupJob(List<Path> areas, Duration maxAge) {
        this.areas = List.copyOf(areas);
        this.maxAge = maxAge;
    }

    /** The temporary areas of a service: its home's, its local backends' and the configured ones. */
    static List<Path> areas(ServiceSettings settings, StorageManager manager) {
        Set<Path> areas = new LinkedHashSet<>();
        areas.add(settings.home().resolve("tmp"));
        if (manager != null) {
            for (BackendConfig b : manager.config().backends().values()) {
                if (b.type().equals("local")) {
                    areas.add(b.get("path").map(Path::of).orElse(b.home()).resolve("tmp"));
                }
            }
        }
        areas.addAll(settings.maintenance().tempDirs());
        return new ArrayList<>(areas);
    }

    @Override
    public String name() {
        return "temp-cleanup";
    }

    /** Each node's own temporary areas: of servers sharing a catalog, every one cleans its own. */
    @Override
    public boolean perNode() {
        return true;
    }

    @Override
    public JobReport run(JobContext context) {
        Instant before = context.clock().instant().minus(maxAge);
        JobReport.Builder report = JobReport.builder().add("removed", 0).add("bytes", 0);
        for (Path area : areas) {
            if (!Files.isDirectory(area, LinkOption.NOFOLLOW_LINKS)) {
                continue;
            }
            try {
                Files.walkFileTree(area, new Cleaner(area, before, context.dryRun(), report));
            } catch (IOException e) {
                report.error("cannot walk " + area + ": " + e.getClass().getSimpleName());
            }
        }
        return report.build();
    }

    private static final class Cleaner extends SimpleFileVisitor<Path> {

        private final Path area;
        private final Instant before;
        private final boolean dryRun;
        private final JobReport.Builder report;

        Cleaner(Path area, Instant before, boolean dryRun, JobReport.Builder report) {
            this.area = area;
            this.before = before;
            this.dryRun = dryRun;
            this.report = report;
        }

        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
            if (!attrs.isRegularFile() || !attrs.lastModifiedTime().toInstant().isBefore(before)) {
                return FileVisitResult.CONTINUE;
            }
            try {
                if (inUse(file)) {
                    report.count("in_use");
                } else {
                    if (!dryRun) {
                        Files.deleteIfExists(file);
                    }
                    report.count("removed").add("bytes", attrs.size());
                }
            } catch (NoSuchFileException gone) {
                // removed meanwhile: what we wanted
            } catch (IOException e) {
                report.error("cannot remove " + file + ": " + e.getClass().getSimpleName());
            }
            return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFileFailed(Path file, IOException e) {
            if (!(e instanceof NoSuchFileException)) {
                report.error("cannot read " + file + ": " + e.getClass().getSimpleName());
            }
            return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
            if (!dir.equals(area) && !dryRun
                    && Files.getLastModifiedTime(dir, LinkOption.NOFOLLOW_LINKS).toInstant().isBefore(before)) {
                try (var entries = Files.list(dir)) {
                    if (entries.findAny().isEmpty()) {
                        Files.deleteIfExists(dir);
                        report.count("folders_removed");
                    }
                } catch (IOException busy) {
                    // filled again meanwhile, or gone: either way it stays as it is
                }
            }
            return FileVisitResult.CONTINUE;
        }

        /** Whether another holds a lock on the file (a write in flight, in this process or another). */
        private static boolean inUse(Path file) throws IOException {
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
                 FileLock lock = ch.tryLock()) {
                return lock == null;
            } catch (OverlappingFileLockException e) {
                return true;
            }
        }
    }
}
