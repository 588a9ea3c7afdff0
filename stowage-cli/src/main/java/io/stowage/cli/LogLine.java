package io.stowage.cli;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.LayoutBase;
import io.stowage.layer.LoggingLayer;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * One log line of the {@code stowage} process, with the command's correlation id: {@code LEVEL Logger - message
 * correlation_id=<id>}, the line slf4j-simple used to write on stderr. The id is the one in the MDC of the thread
 * that logs (a server request's, a command's), else the process's ({@link CliLogging#processCorrelationId}), and
 * is left out when the message names one already (the logging layer's lines do). A stack trace follows its line.
 * With {@code timestamps} (the server's log file) the line starts with the UTC time and names the thread.
 */
public final class LogLine extends LayoutBase<ILoggingEvent> {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    private boolean timestamps;

    /** Whether each line starts with the time and names its thread (a file's lines; the console's do not). */
    public void setTimestamps(boolean timestamps) {
        this.timestamps = timestamps;
    }

    @Override
    public String doLayout(ILoggingEvent event) {
        StringBuilder line = new StringBuilder(160);
        if (timestamps) {
            line.append(TIME.format(Instant.ofEpochMilli(event.getTimeStamp()))).append(' ');
        }
        line.append(event.getLevel()).append(' ');
        if (timestamps) {
            line.append('[').append(event.getThreadName()).append("] ");
        }
        String logger = event.getLoggerName();
        line.append(logger.substring(logger.lastIndexOf('.') + 1)).append(" - ");
        String message = event.getFormattedMessage();
        line.append(message);
        if (message == null || !message.contains(LoggingLayer.CORRELATION_ID)) {
            String id = event.getMDCPropertyMap().get(LoggingLayer.CORRELATION_ID);
            if (id == null) {
                id = CliLogging.processCorrelationId();
            }
            if (id != null) {
                line.append(' ').append(LoggingLayer.CORRELATION_ID).append('=').append(id);
            }
        }
        line.append(CoreConstants.LINE_SEPARATOR);
        IThrowableProxy thrown = event.getThrowableProxy();
        if (thrown != null) {
            line.append(ThrowableProxyUtil.asString(thrown)).append(CoreConstants.LINE_SEPARATOR);
        }
        return line.toString();
    }
}
