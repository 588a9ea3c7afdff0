package io.stowage.service;

import io.stowage.Tier;
import io.stowage.config.ConfigSection;
import io.stowage.config.StowageConfig;
import io.stowage.internal.Sizes;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code maintenance:} section ({@link ServiceSections.Maintenance}) as the jobs use it (decision 0054).
 *
 * @param schedule intervals named by {@code schedule} ({@code scrub=7d}, {@code reconcile=off}: {@link Duration#ZERO}),
 *     over each job's default
 * @param start whether a server starts the schedule ({@code enabled})
 * @param leaseTtl how long a node holds a job's lease without renewing it
 * @param tempMaxAge how old a temporary file is before {@code temp-cleanup} removes it ({@code STOWAGE_TEMP_MAX_AGE})
 * @param tempDirs more folders whose old files {@code temp-cleanup} removes
 * @param reconcileGrace how old an object with no catalog row is before {@code reconcile} takes it for a stray
 * @param reconcileAction what {@code reconcile} does with a stray: {@code quarantine}, {@code remove} or {@code report}
 * @param scrubRate bytes per second {@code scrub} reads at most
 * @param lifecycle the rules {@code lifecycle} applies, in order
 */
public record MaintenanceSettings(Map<String, Duration> schedule, boolean start, Duration leaseTtl, Duration tempMaxAge,
                                  List<Path> tempDirs, Duration reconcileGrace, String reconcileAction, long scrubRate,
                                  List<LifecycleRule> lifecycle) {

    /**
     * A lifecycle rule: files whose age ({@code age>30d}, since their current version was saved) or idle time
     * ({@code idle>90d}, since their last read, else their last save) passes {@code after} move to {@code tier}.
     * Written {@code age>30d:COLD}.
     */
    public record LifecycleRule(boolean idle, Duration after, Tier tier) {

        static LifecycleRule parse(String text) {
            String t = text.trim();
            int gt = t.indexOf('>');
            int colon = t.lastIndexOf(':');
            String what = gt < 0 ? "" : t.substring(0, gt).trim().toLowerCase(Locale.ROOT);
            if (gt < 0 || colon < gt || !(what.equals("age") || what.equals("idle"))) {
                throw new IllegalArgumentException("a rule is age>DURATION:TIER or idle>DURATION:TIER, such as"
                        + " age>30d:COLD, was '" + text + "'");
            }
            Duration after = Sizes.parseDuration(t.substring(gt + 1, colon).trim(), "the rule's duration");
            Tier tier = Tier.valueOf(t.substring(colon + 1).trim().toUpperCase(Locale.ROOT));
            return new LifecycleRule(what.equals("idle"), after, tier);
        }

        @Override
        public String toString() {
            return (idle ? "idle>" : "age>") + after + ":" + tier;
        }
    }

    static final List<String> ACTIONS = List.of("quarantine", "remove", "report");

    static MaintenanceSettings from(StowageConfig config, List<String> problems) {
        ConfigSection m = config.section(ServiceSections.MAINTENANCE);
        Map<String, Duration> schedule = new LinkedHashMap<>();
        for (String entry : m.getList("schedule")) {
            int eq = entry.indexOf('=');
            String job = eq < 0 ? "" : entry.substring(0, eq).trim();
            String interval = eq < 0 ? "" : entry.substring(eq + 1).trim();
            try {
                if (job.isEmpty()) {
                    throw new IllegalArgumentException("an entry is job=interval or job=off");
                }
                schedule.put(job, interval.equalsIgnoreCase("off") ? Duration.ZERO
                        : Sizes.parseDuration(interval, "the interval of " + job));
            } catch (RuntimeException e) {
                problems.add("maintenance.schedule: '" + entry + "': " + e.getMessage());
            }
        }
        List<LifecycleRule> rules = new ArrayList<>();
        for (String rule : m.getList("lifecycle")) {
            try {
                rules.add(LifecycleRule.parse(rule));
            } catch (RuntimeException e) {
                problems.add("maintenance.lifecycle: " + e.getMessage());
            }
        }
        Path home = config.home();
        List<Path> dirs = m.getList("temp_dirs").stream().map(d -> home.resolve(d.trim())).toList();
        String action = m.get("reconcile_action").map(a -> a.trim().toLowerCase(Locale.ROOT)).orElse("quarantine");
        return new MaintenanceSettings(Map.copyOf(schedule), m.get("enabled").map(v -> m.getBoolean("enabled")).orElse(true),
                EventSettings.duration(m, "lease_ttl", Duration.ofMinutes(5), problems),
                EventSettings.duration(m, "temp_max_age", Duration.ofHours(24), problems), dirs,
                EventSettings.duration(m, "reconcile_grace", Duration.ofHours(24), problems), action,
                size(m, "scrub_rate", 64L << 20, problems), List.copyOf(rules));
    }

    /** The interval of {@code job}: the configured one, else {@code otherwise}; zero for never. */
    public Duration interval(String job, Duration otherwise) {
        return Optional.ofNullable(schedule.get(job)).orElse(otherwise);
    }

    private static long size(ConfigSection section, String key, long otherwise, List<String> problems) {
        long n = section.get(key).filter(v -> !v.isBlank()).isPresent() ? section.getSize(key) : otherwise;
        if (n <= 0) {
            problems.add(section.name() + "." + key + ": must be a positive size such as 64MiB, was " + n);
            return otherwise;
        }
        return n;
    }
}
