package io.stowage.cli;

import io.stowage.layer.LoggingLayer;
import org.slf4j.ILoggerFactory;
import org.slf4j.Logger;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.BasicMDCAdapter;
import org.slf4j.simple.SimpleLogger;
import org.slf4j.simple.SimpleLoggerFactory;
import org.slf4j.simple.SimpleServiceProvider;
import org.slf4j.spi.MDCAdapter;

/**
 * slf4j-simple with a working MDC, and the command's correlation id on every line. slf4j-simple's own
 * provider drops everything put in the MDC, so the correlation id the CLI sets per command never
 * reached the logging layer. And only the logging layer's lines named the id: a library's line (Netty
 * announcing its logger, a circuit breaker's state) and any line logged before the command started or
 * on another thread had none. Each line without one now ends with {@code correlation_id=<id>}: the id
 * of the MDC of the thread that logs, else the id of the process ({@link #processCorrelationId}, one
 * command per process). Selected through the {@code slf4j.provider} system property ({@link
 * StowageCli#main} sets it before anything logs), not registered as a service, so slf4j never sees two
 * providers.
 */
public final class CliLogProvider extends SimpleServiceProvider {

    private static volatile String processCorrelationId;

    private final MDCAdapter mdc = new BasicMDCAdapter();
    private final ILoggerFactory loggers = new SimpleLoggerFactory() {
        @Override
        protected Logger createLogger(String name) {
            return new Tagged(name, mdc);
        }
    };

    /** The id of this process's one command, for lines logged where the MDC does not reach. */
    static void processCorrelationId(String id) {
        processCorrelationId = id;
    }

    @Override
    public MDCAdapter getMDCAdapter() {
        return mdc;
    }

    @Override
    public ILoggerFactory getLoggerFactory() {
        return loggers;
    }

    /** A simple logger appending the correlation id to lines that do not carry one. */
    private static final class Tagged extends SimpleLogger {
        private static final long serialVersionUID = 1L;

        private final transient MDCAdapter mdc;

        Tagged(String name, MDCAdapter mdc) {
            super(name);
            this.mdc = mdc;
        }

        @Override
        protected void handleNormalizedLoggingCall(Level level, Marker marker, String message, Object[] arguments,
                Throwable throwable) {
            String id = mdc.get(LoggingLayer.CORRELATION_ID);
            if (id == null) {
                id = processCorrelationId;
            }
            String tagged = id == null || (message != null && message.contains(LoggingLayer.CORRELATION_ID))
                    ? message : message + " " + LoggingLayer.CORRELATION_ID + "=" + id;
            super.handleNormalizedLoggingCall(level, marker, tagged, arguments, throwable);
        }
    }
}
