package io.stowage.cli;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import ch.qos.logback.core.rolling.RollingFileAppender;
import ch.qos.logback.core.rolling.SizeAndTimeBasedRollingPolicy;
import ch.qos.logback.core.status.Status;
import ch.qos.logback.core.util.FileSize;
import io.stowage.StorageException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The server's log file (decision 0059): logback's {@link RollingFileAppender} with its size-and-time rolling
 * policy, as {@link LogSettings} says: the file rolls at {@code max_file_size} and at midnight UTC into gzipped
 * archives beside it ({@code stowage.log} → {@code stowage.2026-01-31.0.log.gz}), archives older than
 * {@code max_history_days} or past {@code total_size_cap} are removed by the policy (also at start). Lines are
 * {@link LogLine}s with the time and thread; the console's appender is taken off the root logger.
 */
final class ServerLog {

    static final String APPENDER = "FILE";

    private ServerLog() {
    }

    /**
     * Sends every line of {@code context} to {@code settings}' file instead of the console.
     *
     * @throws StorageException {@code CONFIG} naming the file when logback cannot start writing it (a folder that
     *     cannot be made or written)
     */
    static void install(LoggerContext context, LogSettings settings, Path file) {
        long since = System.currentTimeMillis();
        Path absolute = file.toAbsolutePath();
        RollingFileAppender<ILoggingEvent> appender = new RollingFileAppender<>();
        appender.setContext(context);
        appender.setName(APPENDER);
        appender.setFile(absolute.toString());

        SizeAndTimeBasedRollingPolicy<ILoggingEvent> policy = new SizeAndTimeBasedRollingPolicy<>();
        policy.setContext(context);
        policy.setParent(appender);
        policy.setFileNamePattern(archivePattern(absolute));
        policy.setMaxFileSize(new FileSize(settings.maxFileSize()));
        policy.setMaxHistory(settings.maxHistoryDays());
        policy.setTotalSizeCap(new FileSize(settings.totalSizeCap()));
        // The removal at start runs here, before any line is logged, not in logback's background (setCleanHistory-
        // OnStart): after a long stop it walks every day since, and left running beside the first rolls' own removals
        // it removed the newest archives too (seen in ServerLogTest about one run in fifty).
        policy.start();
        if (policy.isStarted()) {
            var naming = policy.getTimeBasedFileNamingAndTriggeringPolicy();
            if (naming.getArchiveRemover() != null) {
                naming.getArchiveRemover().clean(Instant.ofEpochMilli(naming.getCurrentTime()));
            }
        }
        appender.setRollingPolicy(policy);

        LogLine layout = new LogLine();
        layout.setContext(context);
        layout.setTimestamps(true);
        layout.start();
        LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
        encoder.setContext(context);
        encoder.setLayout(layout);
        encoder.start();
        appender.setEncoder(encoder);
        appender.start();

        if (!policy.isStarted() || !appender.isStarted()) {
            appender.stop();
            throw StorageException.config("cannot write the log file " + absolute + " (STOWAGE_LOG_FILE): "
                    + errors(context, since));
        }
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.addAppender(appender);
        root.detachAppender(CliLogConfigurator.CONSOLE);
    }

    /**
     * The level of a server logging to its file when {@code env} asks for none ({@code LOG_LEVEL},
     * {@code STORAGE_DEBUG}): info, so the file keeps the job runs and the start and stop; warnings only is the
     * default of short commands on stderr. The loggers quieted for every command stay as they are.
     */
    static void defaultLevel(LoggerContext context, java.util.Map<String, String> env) {
        if (CliLogging.chosenLevel(env).isEmpty()) {
            context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).setLevel(ch.qos.logback.classic.Level.INFO);
        }
    }

    /** {@code dir/name.%d{yyyy-MM-dd,UTC}.%i.ext.gz} for {@code dir/name.ext}; the {@code .gz} makes logback gzip. */
    static String archivePattern(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String stem = dot > 0 ? name.substring(0, dot) : name;
        String ext = dot > 0 ? name.substring(dot) : "";
        return file.resolveSibling(stem + ".%d{yyyy-MM-dd,UTC}.%i" + ext + ".gz").toString();
    }

    private static String errors(LoggerContext context, long since) {
        List<Status> statuses = context.getStatusManager().getCopyOfStatusList();
        String errors = statuses.stream().filter(s -> s.getLevel() == Status.ERROR && s.getTimestamp() >= since)
                .map(s -> s.getMessage() + (s.getThrowable() == null ? "" : ": " + s.getThrowable().getMessage()))
                .distinct().collect(Collectors.joining("; "));
        return errors.isEmpty() ? "logback did not start it" : errors;
    }
}
