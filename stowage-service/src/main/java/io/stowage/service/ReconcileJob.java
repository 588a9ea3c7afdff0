package io.stowage.service;

import io.stowage.BlobInfo;
import io.stowage.BlobKey;
import io.stowage.BlobStore;
import io.stowage.ListRequest;
import io.stowage.StorageException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code reconcile}: the catalog and the backends compared, both ways.
 * <ul>
 *   <li>An object under a version key ({@code <owner>/<yyyy>/<mm>/<file id>/<version id>}) that no version row names,
 *       older than {@code maintenance.reconcile_grace} and not waiting in the write journal, is a stray: moved under
 *       {@value #QUARANTINE} in its backend ({@code quarantine}, the default), deleted ({@code remove}) or only counted
 *       ({@code report}). A row, pending or committed, or a new file's save in flight, protects its object, so a save in
 *       flight (its row is written before its object) is never touched.
 *   <li>A derived object under a variant key ({@link VariantStore#parse}) whose version a row names is live and left
 *       alone; one whose version is gone (purged, erased), older than the grace, is deleted, not quarantined: it is
 *       rebuilt from its original on demand ({@code variants_removed}; only counted under {@code report}).
 *   <li>Objects under neither shape (other tools') are counted as foreign and left alone.
 *   <li>A location whose object is missing is repaired from another copy ({@link Copies#repair}), else recorded as
 *       {@code INTEGRITY} among the failed operations.
 * </ul>
 */
final class ReconcileJob implements MaintenanceJob {

    /** Where strays go in their backend. No owner id starts with {@code _}. */
    static final String QUARANTINE = "_quarantine/";
    private static final int PAGE = 500;

    private final ServiceJobs.Parts parts;
    private final Copies copies;
    private final Duration grace;
    private final String action;

    ReconcileJob(ServiceJobs.Parts parts, Copies copies, Duration grace, String action) {
        this.parts = parts;
        this.copies = copies;
        this.grace = grace;
        this.action = action;
    }

    @Override
    public String name() {
        return "reconcile";
    }

    @Override
    public JobReport run(JobContext context) {
        JobReport.Builder report = JobReport.builder().add("objects", 0).add("strays", 0).add("missing", 0)
                .add("repaired", 0);
        Instant before = context.clock().instant().minus(grace);
        for (Map.Entry<String, BlobStore> backend : copies.stores().entrySet()) {
            try {
                strays(backend.getKey(), backend.getValue(), before, context.dryRun(), report);
            } catch (StorageException e) {
                report.error("cannot list backend " + backend.getKey() + ": " + e.kind());
            }
        }
        missing(context.dryRun(), report);
        return report.build();
    }

    private void strays(String name, BlobStore store, Instant before, boolean dryRun, JobReport.Builder report) {
        String cursor = null;
        do {
            var page = store.list(ListRequest.prefix("").withCursor(cursor));
            List<BlobInfo> candidates = page.items().stream().filter(i -> !i.key().value().startsWith(QUARANTINE))
                    .toList();
            report.add("objects", candidates.size());
            Set<String> known = known(candidates.stream().filter(i -> versionKey(i.key())).map(i -> i.key().value())
                    .toList());
            Set<String> liveVersions = liveVersions(candidates.stream().map(i -> VariantStore.parse(i.key()))
                    .flatMap(java.util.Optional::stream).map(VariantStore.VariantKey::versionId).distinct().toList());
            for (BlobInfo info : candidates) {
                BlobKey key = info.key();
                var variant = VariantStore.parse(key);
                if (variant.isPresent()) {
                    variant(store, info, liveVersions.contains(variant.get().fileId() + "/"
                            + variant.get().versionId()), before, dryRun, report);
                } else if (!versionKey(key)) {
                    report.count("foreign");
                } else if (known.contains(key.value()) || journalled(name, key)) {
                    continue;
                } else if (!info.created().isBefore(before) || !info.modified().isBefore(before)) {
                    report.count("young");
                } else {
                    report.count("strays");
                    if (!dryRun && !action.equals("report")) {
                        settle(name, store, key, report);
                    }
                }
            }
            cursor = page.nextCursor().orElse(null);
        } while (cursor != null);
    }

    /** Leaves a live variant alone; deletes one of a version gone once it is older than the grace. */
    private void variant(BlobStore store, BlobInfo info, boolean live, Instant before, boolean dryRun,
                         JobReport.Builder report) {
        if (live) {
            report.count("variants");
        } else if (!info.created().isBefore(before) || !info.modified().isBefore(before)) {
            report.count("young");
        } else {
            report.count("stale_variants");
            if (!dryRun && !action.equals("report")) {
                try {
                    store.delete(info.key());
                    report.count("variants_removed");
                } catch (StorageException e) {
                    report.error("cannot remove variant " + info.key().value() + ": " + e.kind());
                }
            }
        }
    }

    private void settle(String name, BlobStore store, BlobKey key, JobReport.Builder report) {
        try {
            // Looked up again just before: a row written since the page was read protects its object.
            if (!known(List.of(key.value())).isEmpty()) {
                return;
            }
            if (action.equals("quarantine")) {
                store.copy(key, BlobKey.of(QUARANTINE + key.value()));
                report.count("quarantined");
            } else {
                report.count("removed");
            }
            store.delete(key);
        } catch (StorageException e) {
            report.error("cannot " + action + " " + name + " " + key.value() + ": " + e.kind());
        }
    }

    private void missing(boolean dryRun, JobReport.Builder report) {
        String after = "";
        List<Copies.Located> page;
        do {
            page = copies.page(after, PAGE);
            for (List<Copies.Located> version : Copies.byVersion(page)) {
                for (Copies.Located copy : version) {
                    if (!exists(copy, report)) {
                        report.count("missing");
                        if (!dryRun) {
                            copies.repairOrRecord(copy, version, "is missing", report);
                        }
                    }
                }
                after = version.getFirst().versionId();
            }
        } while (!page.isEmpty());
    }

    private boolean exists(Copies.Located copy, JobReport.Builder report) {
        try {
            return copies.store(copy.backend()).exists(copy.key());
        } catch (StorageException e) {
            report.count("unreachable");
            return true;
        }
    }

    /** Of {@code keys}, those a version row or a new file's save in flight names (one statement, one snapshot). */
    private Set<String> known(List<String> keys) {
        if (keys.isEmpty()) {
            return Set.of();
        }
        return new HashSet<>(parts.catalog().withHandle("maintenance", h -> h.createQuery(
                        "SELECT blob_key FROM versions WHERE blob_key IN (<keys>) UNION ALL SELECT blob_key FROM "
                                + SavesInFlight.TABLE + " WHERE blob_key IN (<keys>)")
                .bindList("keys", keys).mapTo(String.class).list()));
    }

    /** Of {@code versionIds}, the {@code file id/version id} of those a version row names. */
    private Set<String> liveVersions(List<String> versionIds) {
        if (versionIds.isEmpty()) {
            return Set.of();
        }
        return new HashSet<>(parts.catalog().withHandle("maintenance", h -> h.createQuery(
                        "SELECT file_id, id FROM versions WHERE id IN (<ids>)")
                .bindList("ids", versionIds).map((rs, c) -> rs.getString(1) + "/" + rs.getString(2)).list()));
    }

    private boolean journalled(String backend, BlobKey key) {
        return parts.manager() != null && parts.manager().journalled(backend, key).isPresent();
    }

    /** Whether {@code key} has the shape of the keys the service writes versions under. */
    static boolean versionKey(BlobKey key) {
        List<String> s = key.segments();
        return s.size() == 5 && s.get(1).matches("\\d{4}") && s.get(2).matches("\\d{2}") && Ids.wellFormed(s.get(3))
                && Ids.wellFormed(s.get(4));
    }

}
