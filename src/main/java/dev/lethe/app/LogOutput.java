package dev.lethe.app;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.Encoder;
import dev.lethe.config.LetheConfig.LogFormat;
import org.slf4j.LoggerFactory;

import java.util.Iterator;

/**
 * Switches the process's log lines (logback.xml's stderr appender) to the configured format. JSON
 * uses logback's own {@link JsonEncoder}: one object per line, with the log context ({@code mdc},
 * where the request id is) and the message already formatted, so no new dependency.
 */
public final class LogOutput {

    /** The text layout of logback.xml. */
    static final String TEXT_PATTERN = "%d{HH:mm:ss.SSS} %-5level %logger{20} - %msg%n";

    private LogOutput() {
    }

    /** Applies {@code format} to every output-stream appender of the root logger. */
    public static void use(LogFormat format) {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return;
        }
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        for (Iterator<Appender<ILoggingEvent>> it = root.iteratorForAppenders(); it.hasNext(); ) {
            if (it.next() instanceof OutputStreamAppender<ILoggingEvent> out) {
                Encoder<ILoggingEvent> encoder = encoder(context, format);
                out.stop();
                out.setEncoder(encoder);
                out.start();
            }
        }
    }

    /** The encoder of one format; tests write through it to see what a line holds. */
    public static Encoder<ILoggingEvent> encoder(LoggerContext context, LogFormat format) {
        Encoder<ILoggingEvent> encoder;
        if (format == LogFormat.JSON) {
            JsonEncoder json = new JsonEncoder();
            json.setWithFormattedMessage(true);
            // why: the message template and its arguments would repeat the formatted message
            json.setWithMessage(false);
            json.setWithArguments(false);
            json.setWithSequenceNumber(false);
            json.setWithNanoseconds(false);
            json.setWithContext(false);
            encoder = json;
        } else {
            PatternLayoutEncoder text = new PatternLayoutEncoder();
            text.setPattern(TEXT_PATTERN);
            encoder = text;
        }
        encoder.setContext(context);
        encoder.start();
        return encoder;
    }
}
