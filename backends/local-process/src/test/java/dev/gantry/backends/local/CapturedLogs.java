package dev.gantry.backends.local;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * Everything Gantry code logs, at every level, from creation until {@link #close()}, which puts
 * the logging configuration back as it was. The backend under test logs through the host's SLF4J,
 * which its plugin class loader shares, so its events arrive here too. Events are kept from the
 * console meanwhile, since DEBUG is captured.
 */
final class CapturedLogs implements AutoCloseable {

    private final Logger logger = (Logger) LoggerFactory.getLogger("dev.gantry");
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
    private final Level previousLevel;
    private final boolean previousAdditivity;

    CapturedLogs() {
        previousLevel = logger.getLevel();
        previousAdditivity = logger.isAdditive();
        appender.start();
        logger.addAppender(appender);
        logger.setLevel(Level.DEBUG);
        logger.setAdditive(false);
    }

    /** Each event's message, key-value pairs and the messages of its exception and causes. */
    List<String> texts() {
        List<String> texts = new ArrayList<>();
        for (ILoggingEvent event : List.copyOf(appender.list)) {
            texts.add(event.getFormattedMessage());
            if (event.getKeyValuePairs() != null) {
                event.getKeyValuePairs().forEach(pair -> texts.add(pair.key + "=" + pair.value));
            }
            for (IThrowableProxy cause = event.getThrowableProxy(); cause != null; cause = cause.getCause()) {
                texts.add(cause.getClassName() + ": " + cause.getMessage());
            }
        }
        return texts;
    }

    @Override
    public void close() {
        logger.detachAppender(appender);
        logger.setLevel(previousLevel);
        logger.setAdditive(previousAdditivity);
        appender.stop();
    }
}
