package io.stowage.service;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * {@code image-cache} (decision 0072), run on every node ({@link #perNode()}): puts this node's thumbnail cache
 * ({@code images.storage_path}) right against the catalog. A cached version whose file or version is gone (erased or
 * purged, maybe on another node) is removed; then, while the cache holds more than {@code images.cache_max_bytes},
 * the least recently used variants go (they are in the storage, and come back on the next request); temporary files
 * older than {@code maintenance.temp_max_age} go too. Symbolic links are never followed.
 */
final class ImageCacheJob implements MaintenanceJob {

    private static final int BATCH = 500;

    /** One cached version's folder. */
    private record Cached(String owner, String fileId, String versionId, Path dir) {
    }

    /** One cached variant, for the LRU order. */
    private record Entry(Path path, long size, Instant used) {
    }

    private final VariantStore store;
    private final CatalogDatabase catalog;
    private final long maxBytes;
    private final Duration tempMaxAge;

    ImageCacheJob(VariantStore store, CatalogDatabase catalog, long maxBytes, Duration tempMaxAge) {
        this.store = store;
        this.catalog = catalog;
        this.maxBytes = maxBytes;
        this.tempMaxAge = tempMaxAge;
    }

    @Override
    public String name() {
        return "image-cache";
    }

    @Override
    public boolean perNode() {
        return true;
    }

    @Override
    public JobReport run(JobContext context) {
        JobReport.Builder report = JobReport.builder().add("removed", 0).add("evicted", 0).add("bytes", 0)
                .add("kept", 0);
        Path root = store.root();
        if (!Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) {
            return report.build();
        }
        try {
            temporary(root.resolve("tmp"), context.clock().instant().minus(tempMaxAge), context.dryRun(), report);
            List<Cached> cached = cached(root, report);
            List<Entry> live = new ArrayList<>();
            for (int i = 0; i < cached.size(); i += BATCH) {
                List<Cached> batch = cached.subList(i, Math.min(cached.size(), i + BATCH));
                Set<String> known = known(batch);
                for (Cached c : batch) {
                    if (known.contains(c.owner() + "/" + c.fileId() + "/" + c.versionId())) {
                        live.addAll(entries(c.dir()));
                    } else {
                        long bytes = entries(c.dir()).stream().mapToLong(Entry::size).sum();
                        report.count("removed").add("bytes", bytes);
                        if (!context.dryRun()) {
                            VariantStore.delete(c.dir());
                        }
                    }
                }
            }
            evict(live, context.dryRun(), report);
            if (!context.dryRun()) {
                emptyFolders(root);
            }
        } catch (IOException e) {
            report.error("cannot walk " + root + ": " + e.getClass().getSimpleName());
        }
        return report.build();
    }

    /** The cached versions, {@code <owner>/<file id>/<version id>/}; anything else there is counted and left. */
    private static List<Cached> cached(Path root, JobReport.Builder report) throws IOException {
        List<Cached> out = new ArrayList<>();
        for (Path owner : children(root)) {
            String o = owner.getFileName().toString();
            if (o.equals("tmp")) {
                continue;
            }
            if (!io.stowage.service.auth.OwnerIds.valid(o) || !Files.isDirectory(owner, LinkOption.NOFOLLOW_LINKS)) {
                report.count("foreign");
                continue;
            }
            for (Path file : children(owner)) {
                for (Path version : children(file)) {
                    if (Ids.wellFormed(file.getFileName().toString()) && Ids.wellFormed(version.getFileName().toString())
                            && Files.isDirectory(version, LinkOption.NOFOLLOW_LINKS)) {
                        out.add(new Cached(o, file.getFileName().toString(), version.getFileName().toString(), version));
                    } else {
                        report.count("foreign");
                    }
                }
            }
        }
        return out;
    }

    /** Of {@code batch}, the {@code owner/file/version} the catalog still holds. */
    private Set<String> known(List<Cached> batch) {
        List<String> versions = batch.stream().map(Cached::versionId).distinct().toList();
        return new HashSet<>(catalog.withHandle("maintenance", h -> h.createQuery(
                        "SELECT f.owner_id, v.file_id, v.id FROM versions v JOIN files f ON f.id = v.file_id"
                                + " WHERE v.id IN (<ids>)").bindList("ids", versions)
                .map((rs, c) -> rs.getString(1) + "/" + rs.getString(2) + "/" + rs.getString(3)).list()));
    }

    /** Least recently used first, while the cache holds more than its bound. */
    private void evict(List<Entry> live, boolean dryRun, JobReport.Builder report) throws IOException {
        long total = live.stream().mapToLong(Entry::size).sum();
        List<Entry> oldestFirst = live.stream().sorted(Comparator.comparing(Entry::used)).toList();
        for (Entry e : oldestFirst) {
            if (total <= maxBytes) {
                break;
            }
            total -= e.size();
            report.count("evicted").add("bytes", e.size());
            if (!dryRun) {
                Files.deleteIfExists(e.path());
            }
        }
        report.add("kept", live.size() - report.build().count("evicted"));
    }

    private static void temporary(Path tmp, Instant before, boolean dryRun, JobReport.Builder report)
            throws IOException {
        for (Entry e : entries(tmp)) {
            if (e.used().isBefore(before)) {
                report.count("temporary").add("bytes", e.size());
                if (!dryRun) {
                    Files.deleteIfExists(e.path());
                }
            }
        }
    }

    /** The regular files directly in {@code dir}, with their size and time. */
    private static List<Entry> entries(Path dir) throws IOException {
        List<Entry> out = new ArrayList<>();
        for (Path p : children(dir)) {
            BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (a.isRegularFile()) {
                out.add(new Entry(p, a.size(), a.lastModifiedTime().toInstant()));
            }
        }
        return out;
    }

    private static List<Path> children(Path dir) throws IOException {
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.toList();
        }
    }

    /** Removes the owner and file folders the run left empty (a variant made meanwhile makes its own again). */
    private static void emptyFolders(Path root) throws IOException {
        for (Path owner : children(root)) {
            if (owner.getFileName().toString().equals("tmp") || !Files.isDirectory(owner, LinkOption.NOFOLLOW_LINKS)) {
                continue;
            }
            for (Path file : children(owner)) {
                for (Path version : children(file)) {
                    deleteIfEmpty(version);
                }
                deleteIfEmpty(file);
            }
            deleteIfEmpty(owner);
        }
    }

    private static void deleteIfEmpty(Path dir) {
        try {
            if (Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS) && children(dir).isEmpty()) {
                Files.deleteIfExists(dir);
            }
        } catch (IOException e) {
            // filled again meanwhile: it stays
        }
    }
}
