package io.stowage.service;

import io.stowage.BlobStore;
import io.stowage.Lifecycle;
import io.stowage.StorageException;
import io.stowage.Tier;
import io.stowage.Tiered;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code lifecycle}: the rules of {@code maintenance.lifecycle} ({@code age>30d:COLD}, {@code idle>180d:ARCHIVE})
 * applied to the files in use. A file moves to a rule's tier through {@link StorageService#setTier} (a
 * {@code TierRouter} moves it to the tier's backend) when the rule's time has passed since its current version was
 * saved ({@code age}) or since it was last read, else saved ({@code idle}, from its {@code file.read} events, the
 * reads counted in memory written first); files
 * only ever move to colder tiers, and the first rule that moves a file wins. Then, on each backend with the
 * {@link Lifecycle} feature, the service's own native rule (id {@value #RULE}) is set: the age rules as transitions to
 * the backend's storage class, and unfinished multipart uploads aborted after a day; rules of other ids are kept.
 */
final class TierLifecycleJob implements MaintenanceJob {

    static final String RULE = "stowage-lifecycle";
    private static final int PAGE = 500;

    private record Candidate(String owner, String fileId, Tier tier, Instant saved, Instant lastRead) {
    }

    private final ServiceJobs.Parts parts;
    private final List<MaintenanceSettings.LifecycleRule> rules;

    TierLifecycleJob(ServiceJobs.Parts parts, List<MaintenanceSettings.LifecycleRule> rules) {
        this.parts = parts;
        this.rules = List.copyOf(rules);
    }

    @Override
    public String name() {
        return "lifecycle";
    }

    @Override
    public JobReport run(JobContext context) {
        JobReport.Builder report = JobReport.builder().add("checked", 0).add("moved", 0);
        if (!rules.isEmpty()) {
            if (parts.blobs().feature(Tiered.class).isEmpty()) {
                return report.error("the store has no tiers (no tiers: routing, no storage classes): nothing moved")
                        .build();
            }
            // Reads counted since the last flush are last accesses too: written now, an idle rule sees them.
            parts.reads().flush();
            move(context, report);
            nativeRules(context.dryRun(), report);
        }
        return report.build();
    }

    private void move(JobContext context, JobReport.Builder report) {
        Instant now = context.clock().instant();
        String after = "";
        List<Candidate> page;
        do {
            page = page(after);
            for (Candidate c : page) {
                report.count("checked");
                for (MaintenanceSettings.LifecycleRule rule : rules) {
                    Instant since = rule.idle() && c.lastRead() != null ? c.lastRead() : c.saved();
                    if (rule.tier().compareTo(c.tier()) > 0 && since.isBefore(now.minus(rule.after()))) {
                        if (!context.dryRun()) {
                            try {
                                parts.admin().setTier(c.owner(), c.fileId(), rule.tier());
                            } catch (StorageException e) {
                                report.count("failed").error("file " + c.fileId() + " to " + rule.tier() + ": " + e.kind());
                                break;
                            }
                        }
                        report.count("moved").count("moved_to_" + rule.tier().name().toLowerCase(java.util.Locale.ROOT));
                        break;
                    }
                }
                after = c.fileId();
            }
        } while (!page.isEmpty());
    }

    private List<Candidate> page(String after) {
        return parts.catalog().withHandle("lifecycle", h -> h.createQuery(
                        "SELECT f.owner_id, f.id, f.tier, v.committed_at,"
                                + " (SELECT MAX(e.created_at) FROM event_outbox e WHERE e.file_id = f.id"
                                + " AND e.type = :read) AS last_read"
                                + " FROM files f JOIN versions v ON v.id = f.current_version_id"
                                + " WHERE f.state = 'active' AND f.id > :after ORDER BY f.id LIMIT :limit")
                .bind("read", FileEvent.READ).bind("after", after).bind("limit", PAGE)
                .map((rs, ctx) -> {
                    long read = rs.getLong("last_read");
                    Instant lastRead = rs.wasNull() ? null : Instant.ofEpochMilli(read);
                    String tier = rs.getString("tier");
                    return new Candidate(rs.getString("owner_id"), rs.getString("id"),
                            tier == null ? Tier.HOT : Tier.parse(tier), Instant.ofEpochMilli(rs.getLong("committed_at")),
                            lastRead);
                })
                .list());
    }

    private void nativeRules(boolean dryRun, JobReport.Builder report) {
        for (Map.Entry<String, BlobStore> backend : new Copies(parts).stores().entrySet()) {
            var lifecycle = backend.getValue().feature(Lifecycle.class);
            if (lifecycle.isEmpty()) {
                continue;
            }
            try {
                List<Lifecycle.Transition> transitions = new ArrayList<>();
                backend.getValue().feature(Tiered.class).ifPresent(tiered -> rules.stream()
                        .filter(r -> !r.idle())
                        .forEach(r -> transitions.add(new Lifecycle.Transition(
                                (int) Math.max(1, r.after().toDays()), tiered.storageClassOf(r.tier())))));
                List<Lifecycle.Rule> set = new ArrayList<>(lifecycle.get().rules().stream()
                        .filter(r -> !RULE.equals(r.id())).toList());
                set.add(new Lifecycle.Rule(RULE, "", transitions, 0, 1));
                if (!dryRun) {
                    lifecycle.get().setRules(set);
                }
                report.count("native_rules_set");
            } catch (StorageException e) {
                report.error("cannot set the lifecycle rules of backend " + backend.getKey() + ": " + e.kind());
            }
        }
    }

}
