package io.stowage.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.slf4j.ILoggerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The process's logging: logback, configured by {@link CliLogConfigurator} (lines on stderr, {@link LogLine}), its
 * levels set from {@code LOG_LEVEL} / {@code STORAGE_DEBUG} before anything logs, and the command's
 * correlation id on every line. {@code serve} may then move its lines to a rolled file ({@link ServerLog}).
 */
final class CliLogging {

    /**
     * The HTTP libraries' internals: at debug level they dump raw requests and buffers, credentials included (an
     * {@code Authorization} header, a signed URL). {@code LOG_LEVEL=debug} leaves them at info.
     */
    private static final List<String> WIRE = List.of("org.eclipse.jetty", "io.javalin", "org.apache.http",
            "org.apache.hc", "io.netty", "reactor.netty", "software.amazon.awssdk.request",
            "software.amazon.awssdk.http", "com.azure.core.http", "com.google.api.client.http");

    private static volatile String processCorrelationId;

    private CliLogging() {
    }

    /** The id of this process's one command, for lines logged where the MDC does not reach; null in a test JVM. */
    static String processCorrelationId() {
        return processCorrelationId;
    }

    /**
     * Chooses logback (whatever other provider a class path brings), names {@code id} as the process's correlation
     * id, and applies {@code LOG_LEVEL} ({@code debug}, {@code info}, {@code warn}/{@code warning}, {@code error}) or
     * {@code STORAGE_DEBUG=true} from {@code env}; without them, warnings and errors only. The HTTP libraries'
     * wire logging stays off at debug ({@link #WIRE}).
     */
    static void configure(String id, Map<String, String> env) {
        processCorrelationId = id;
        System.setProperty("slf4j.provider", "ch.qos.logback.classic.spi.LogbackServiceProvider");
        // slf4j announces an explicitly chosen provider on stderr; only its warnings belong there.
        System.setProperty("slf4j.internal.verbosity", "WARN");
        Optional<String> level = chosenLevel(env);
        if (level.isEmpty()) {
            return;
        }
        String l = level.get();
        Level chosen = Level.toLevel(l.equals("warning") ? "warn" : l, Level.WARN);
        context().ifPresent(c -> {
            c.getLogger(Logger.ROOT_LOGGER_NAME).setLevel(chosen);
            // The loggers quieted by default come back on at the level asked.
            CliLogConfigurator.QUIETED.keySet().forEach(name -> c.getLogger(name).setLevel(chosen));
            if (!chosen.isGreaterOrEqual(Level.INFO)) {
                WIRE.forEach(name -> c.getLogger(name).setLevel(Level.INFO));
            }
        });
    }

    /** The level {@code LOG_LEVEL} or {@code STORAGE_DEBUG} asks for in {@code env}, lower case; empty when neither does. */
    static Optional<String> chosenLevel(Map<String, String> env) {
        String debug = env.getOrDefault("STORAGE_DEBUG", "");
        if (debug.equalsIgnoreCase("true") || debug.equals("1")) {
            return Optional.of("debug");
        }
        String level = env.get("LOG_LEVEL");
        return level == null || level.isBlank() ? Optional.empty() : Optional.of(level.trim().toLowerCase(Locale.ROOT));
    }

    /** Logback's context, when logback is the provider (a library user's class path may choose another). */
    static Optional<LoggerContext> context() {
        ILoggerFactory factory = LoggerFactory.getILoggerFactory();
        return factory instanceof LoggerContext c ? Optional.of(c) : Optional.empty();
    }
}
