package io.stowage.service;

import io.stowage.BlobKey;
import io.stowage.ErrorKind;
import io.stowage.StorageException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retention policies and their evaluation (decision 0041), reached through {@link StorageService#retention()}:
 * keep at most N versions of a file, keep versions younger than D, purge the trash after T; per owner, or global
 * for every owner without a policy of their own. {@link #applyRetention(boolean)} runs once per call; running it
 * on a schedule is the maintenance's. Thread-safe.
 *
 * <p>What a caller may rely on: a file's current version is never removed by the version rules; a version is
 * removed when it is beyond either version rule; removed versions and purged files leave the owner's usage, their
 * objects go first (a run stopped half way leaves rows to remove again, never an object without one); every
 * policy change, removal and run is in the audit log.
 */
public final class Retention {

    private static final Logger LOG = LoggerFactory.getLogger(Retention.class);

    private final RetentionCatalog policies = new RetentionCatalog();
    private final CatalogDatabase catalog;
    private final FileCatalog files;
    private final Uploads uploads;
    private final FileLifecycle lifecycle;
    private final AuditLog audit;
    private final Guards guards;
    private final Clock clock;

    Retention(CatalogDatabase catalog, FileCatalog files, Uploads uploads, FileLifecycle lifecycle, AuditLog audit,
              Guards guards, Clock clock) {
        this.catalog = catalog;
        this.files = files;
        this.uploads = uploads;
        this.lifecycle = lifecycle;
        this.audit = audit;
        this.guards = guards;
        this.clock = clock;
    }

    /** Sets the policy of its scope (its owner, or the global one), replacing what was there. */
    public void setRetention(RetentionPolicy policy) {
        Objects.requireNonNull(policy, "policy");
        String actor = policy.isGlobal() ? StorageService.SYSTEM : policy.owner();
        guards.audited(actor, "retention.set", target(policy.owner()), () -> {
            Instant now = clock.instant();
            catalog.useTransaction("retention", h -> {
                if (!policy.isGlobal()) {
                    files.ensureOwner(h, policy.owner(), now);
                }
                policies.set(h, policy, now);
                audit.append(h, actor, "retention.set", target(policy.owner()), AuditLog.OK, now);
            });
            return null;
        });
    }

    /**
     * Removes the policy of {@code owner}, or the global one for {@link RetentionPolicy#GLOBAL}; the owner's files
     * then follow the global policy, if any.
     *
     * @return false when there was no such policy
     * @throws StorageException {@code INVALID_ARGUMENT} for a malformed owner id
     */
    public boolean removeRetention(String owner) {
        boolean global = RetentionPolicy.GLOBAL.equals(owner);
        if (!global) {
            Names.owner(owner);
        }
        String actor = global ? StorageService.SYSTEM : owner;
        return catalog.inTransaction("retention", h -> {
            boolean removed = policies.remove(h, owner);
            if (removed) {
                audit.append(h, actor, "retention.remove", target(owner), AuditLog.OK, clock.instant());
            }
            return removed;
        });
    }

    /** Every policy, the global one first, then by owner. */
    public List<RetentionPolicy> retentionPolicies() {
        return catalog.withHandle("retention", policies::list);
    }

    /**
     * Evaluates every policy now: the versions each removes and the trashed files each purges. In a dry run the
     * report says what would go and nothing changes; otherwise each is removed, its object first, and taken off
     * the owner's usage. A removal that fails (the backend away) is counted in {@link RetentionReport#failed()} and
     * left for the next run.
     */
    public RetentionReport applyRetention(boolean dryRun) {
        return applyRetention(dryRun, rule -> true);
    }

    /** As {@link #applyRetention(boolean)}, of the removals by the {@code rules} given (the maintenance jobs split them). */
    RetentionReport applyRetention(boolean dryRun, java.util.function.Predicate<RetentionReport.Rule> rules) {
        List<Planned> plan = plan(clock.instant()).stream().filter(p -> rules.test(p.removal().rule())).toList();
        if (dryRun) {
            List<RetentionReport.Removal> would = plan.stream().map(Planned::removal).toList();
            return new RetentionReport(true, would, would.stream().mapToLong(RetentionReport.Removal::bytes).sum(), 0);
        }
        List<RetentionReport.Removal> done = new ArrayList<>();
        int failed = 0;
        for (Planned planned : plan) {
            RetentionReport.Removal r = planned.removal();
            try {
                if (remove(r, planned.blobKey())) {
                    done.add(r);
                }
            } catch (StorageException e) {
                failed++;
                LOG.warn("retention could not remove {} of file {} ({}); the next run tries again: {}",
                        r.versionId().isEmpty() ? "the trashed file" : "version " + r.versionId(), r.fileId(),
                        r.rule(), e.reason());
            }
        }
        long freed = done.stream().mapToLong(RetentionReport.Removal::bytes).sum();
        String outcome = failed == 0 ? AuditLog.OK : "partial";
        catalog.useTransaction("retention", h -> audit.append(h, StorageService.SYSTEM, "retention.apply",
                "retention:" + done.size() + " removed, " + freed + " bytes", outcome, clock.instant()));
        return new RetentionReport(false, done, freed, failed);
    }

    /** A removal, with the key of the version's object (empty for a trashed file). */
    private record Planned(RetentionReport.Removal removal, String blobKey) {
    }

    private boolean remove(RetentionReport.Removal r, String key) {
        if (r.rule() == RetentionReport.Rule.TRASH) {
            try {
                lifecycle.purge(r.owner(), r.fileId());
                return true;
            } catch (StorageException e) {
                if (e.kind() == ErrorKind.NOT_FOUND) {
                    return false; // purged meanwhile
                }
                throw e;
            }
        }
        uploads.destroy(BlobKey.of(key));
        return catalog.inTransaction("retention", h -> {
            boolean removed = policies.removeVersion(h, r.owner(), r.fileId(), r.versionId());
            if (removed) {
                audit.append(h, r.owner(), "retention.remove_version", "file:" + r.fileId(), AuditLog.OK, clock.instant());
            }
            return removed;
        });
    }

    /** What the policies remove at {@code now}, by owner and file. */
    private List<Planned> plan(Instant now) {
        record Catalog(List<RetentionPolicy> policies, List<RetentionCatalog.Version> versions,
                       List<RetentionCatalog.Trashed> trashed) {
        }
        Catalog c = catalog.withHandle("retention", h -> new Catalog(policies.list(h),
                policies.versionsOfFilesWithHistory(h), policies.trashed(h)));
        Map<String, RetentionPolicy> byOwner = c.policies().stream()
                .collect(Collectors.toMap(RetentionPolicy::owner, p -> p));
        RetentionPolicy global = byOwner.get(RetentionPolicy.GLOBAL);
        List<Planned> out = new ArrayList<>();
        Set<String> purged = new HashSet<>();
        for (RetentionCatalog.Trashed t : c.trashed()) {
            Optional<RetentionPolicy> p = Optional.ofNullable(byOwner.getOrDefault(t.owner(), global));
            if (p.flatMap(RetentionPolicy::trashRetention).filter(d -> t.deleted().isBefore(now.minus(d))).isPresent()) {
                out.add(new Planned(new RetentionReport.Removal(t.owner(), t.fileId(), "", t.bytes(),
                        RetentionReport.Rule.TRASH), ""));
                purged.add(t.fileId());
            }
        }
        Map<String, List<RetentionCatalog.Version>> byFile = c.versions().stream()
                .collect(Collectors.groupingBy(RetentionCatalog.Version::fileId, LinkedHashMap::new, Collectors.toList()));
        for (List<RetentionCatalog.Version> versions : byFile.values()) {
            RetentionCatalog.Version any = versions.getFirst();
            RetentionPolicy p = byOwner.getOrDefault(any.owner(), global);
            if (p == null || purged.contains(any.fileId())) {
                continue;
            }
            // The current version first (it is kept whatever its age), then newest first.
            List<RetentionCatalog.Version> ranked = versions.stream()
                    .sorted(Comparator.comparing((RetentionCatalog.Version v) -> !v.current())
                            .thenComparing(RetentionCatalog.Version::seq, Comparator.reverseOrder()))
                    .toList();
            for (int i = 1; i < ranked.size(); i++) {
                RetentionCatalog.Version v = ranked.get(i);
                RetentionReport.Rule rule = p.maxVersions().isPresent() && i >= p.maxVersions().getAsInt()
                        ? RetentionReport.Rule.MAX_VERSIONS
                        : p.maxAge().filter(age -> v.committed().isBefore(now.minus(age))).isPresent()
                        ? RetentionReport.Rule.MAX_AGE : null;
                if (rule != null) {
                    out.add(new Planned(new RetentionReport.Removal(v.owner(), v.fileId(), v.id(), v.size(), rule),
                            v.blobKey()));
                }
            }
        }
        out.sort(Comparator.comparing((Planned p) -> p.removal().owner()).thenComparing(p -> p.removal().fileId()));
        return out;
    }

    private static String target(String owner) {
        return owner.equals(RetentionPolicy.GLOBAL) ? "retention:global" : "owner:" + owner;
    }
}
