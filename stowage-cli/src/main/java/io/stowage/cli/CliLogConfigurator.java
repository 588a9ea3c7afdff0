package io.stowage.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import ch.qos.logback.core.spi.ContextAwareBase;
import java.util.Map;

/**
 * Logback's configuration for the {@code stowage} process, found by logback through
 * {@code META-INF/services/ch.qos.logback.classic.spi.Configurator} before it looks for XML (none is parsed: a
 * command starts as fast as it did): {@link LogLine}s on stderr, so stdout stays clean for data ({@code get -}) and
 * listings; warnings and errors only, the Azure SDK and reactor-netty off (the SDK logs every refused connection
 * at ERROR, several lines per attempt, where Stowage reports the failure in one line), the layers' per-call lines
 * at error (they are for servers and {@code LOG_LEVEL=info}). {@link CliLogging} applies {@code LOG_LEVEL}; a test
 * class path with a {@code logback-test.xml} is left to that file.
 */
public final class CliLogConfigurator extends ContextAwareBase implements Configurator {

    /** The name of the console's appender, which {@link ServerLog} takes off when {@code serve} logs to a file. */
    static final String CONSOLE = "CONSOLE";

    /** The loggers quieted below the root's level, and their levels. */
    static final Map<String, Level> QUIETED = Map.of("com.azure", Level.OFF, "reactor.netty", Level.OFF,
            "io.stowage.storage", Level.ERROR);

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (CliLogConfigurator.class.getClassLoader().getResource("logback-test.xml") != null) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        LogLine layout = new LogLine();
        layout.setContext(context);
        layout.start();
        LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
        encoder.setContext(context);
        encoder.setLayout(layout);
        encoder.start();
        ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
        console.setContext(context);
        console.setName(CONSOLE);
        console.setTarget("System.err");
        console.setEncoder(encoder);
        console.start();
        ch.qos.logback.classic.Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.WARN);
        root.addAppender(console);
        QUIETED.forEach((name, level) -> context.getLogger(name).setLevel(level));
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }
}
