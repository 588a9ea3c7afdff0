package io.stowage.cli;

import io.stowage.config.ConfigSection;
import io.stowage.config.InvalidConfigException;
import io.stowage.config.SettingsSection;
import io.stowage.config.StowageConfig;
import io.stowage.spi.SettingSpec;
import io.stowage.spi.SettingSpec.Kind;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Where {@code stowage serve} writes its log, and how the log is rotated and archived (spec 000; decision 0059), the
 * {@code logging:} section:
 *
 * <pre>
 * logging: { file: /var/log/stowage/stowage.log, max_file_size: 10MiB, max_history_days: 30, total_size_cap: 1GiB }
 * </pre>
 * <ul>
 *   <li>{@code file} / {@code STOWAGE_LOG_FILE}: the log file; unset, the lines go to stderr as for every command.
 *   <li>{@code max_file_size} / {@code STOWAGE_LOG_MAX_FILE_SIZE} (10MiB): the file is rolled when it reaches this
 *       size, and at midnight (UTC), into {@code <name>.<yyyy-MM-dd>.<n>.<ext>.gz} beside it.
 *   <li>{@code max_history_days} / {@code STOWAGE_LOG_MAX_HISTORY_DAYS} (30): archives of older days are removed.
 *   <li>{@code total_size_cap} / {@code STOWAGE_LOG_TOTAL_SIZE_CAP} (1GiB): past this total the oldest archives
 *       are removed.
 * </ul>
 */
public record LogSettings(Optional<Path> file, long maxFileSize, int maxHistoryDays, long totalSizeCap) {

    static final String SECTION = "logging";

    /**
     * The section's settings, checked together.
     *
     * @throws InvalidConfigException naming each setting that cannot be used
     */
    static LogSettings from(StowageConfig config) {
        ConfigSection s = config.section(SECTION);
        List<String> problems = new ArrayList<>();
        Optional<Path> file = s.get("file").map(String::trim).filter(v -> !v.isEmpty()).map(Path::of);
        long maxFileSize = s.get("max_file_size").isPresent() ? s.getSize("max_file_size") : 10L << 20;
        if (maxFileSize <= 0) {
            problems.add(s.label("max_file_size") + ": must be a positive size, was " + maxFileSize);
        }
        long history = s.get("max_history_days").isPresent() ? s.getLong("max_history_days") : 30;
        if (history < 1 || history > 36_500) {
            problems.add(s.label("max_history_days") + ": must be 1 to 36500 days, was " + history);
        }
        long cap = s.get("total_size_cap").isPresent() ? s.getSize("total_size_cap") : 1L << 30;
        if (cap < maxFileSize) {
            problems.add(s.label("total_size_cap") + ": must be at least the largest file ("
                    + s.label("max_file_size") + ", " + maxFileSize + " bytes), was " + cap + " bytes");
        }
        if (file.isPresent() && (file.get().getFileName() == null || file.get().toString().contains("%"))) {
            problems.add(s.label("file") + ": must name a file, without '%', was '" + file.get() + "'");
        }
        if (!problems.isEmpty()) {
            throw new InvalidConfigException(problems);
        }
        return new LogSettings(file, maxFileSize, (int) history, cap);
    }


    /** The {@code logging:} section, declared to the configuration. */
    public static final class Section implements SettingsSection {
        @Override
        public String name() {
            return SECTION;
        }

        @Override
        public List<SettingSpec> settings() {
            return List.of(
                    SettingSpec.of("file", Kind.PATH).env("STOWAGE_LOG_FILE"),
                    SettingSpec.of("max_file_size", Kind.SIZE).env("STOWAGE_LOG_MAX_FILE_SIZE").defaultValue("10MiB"),
                    SettingSpec.of("max_history_days", Kind.INT).env("STOWAGE_LOG_MAX_HISTORY_DAYS").defaultValue("30"),
                    SettingSpec.of("total_size_cap", Kind.SIZE).env("STOWAGE_LOG_TOTAL_SIZE_CAP").defaultValue("1GiB"));
        }
    }
}
