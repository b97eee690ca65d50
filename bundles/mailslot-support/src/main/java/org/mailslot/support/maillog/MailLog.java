package org.mailslot.support.maillog;

import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import org.mailslot.support.maillog.MailLogEvent.Delays;
import org.mailslot.support.maillog.MailLogEvent.Delivery;
import org.mailslot.support.maillog.MailLogEvent.Identified;
import org.mailslot.support.maillog.MailLogEvent.Notified;
import org.mailslot.support.maillog.MailLogEvent.Queued;
import org.mailslot.support.maillog.MailLogEvent.Received;
import org.mailslot.support.maillog.MailLogEvent.Removed;
import org.mailslot.support.maillog.MailLogEvent.Service;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes {@link MailLogEvent}s at INFO, each under {@code org.mailslot.mail.SERVICE}, with the text
 * Postfix gives that line after its {@code QUEUEID: }; the distribution's logging configuration puts
 * the time, host and {@code mailslot/SERVICE[PID]:} in front and sends them to {@code data/log/mail.log}.
 * Delivery lines ({@link #DELIVERY_LOGGER}) also go to Karaf's log stream.
 * <p>
 * The lines are formatted and logged by a {@link MailLogWriter} thread, in batches: a busy listener or
 * delivery thread wakes no other thread per line. The logging system sees each line at most
 * {@link #LINGER} after it was logged here (at once after a quiet spell), and stamps it with that time.
 */
public final class MailLog {

    /** The parent of every mail log logger. */
    public static final String LOGGER = "org.mailslot.mail";
    /** The logger of delivery lines, one per recipient and attempt. */
    public static final String DELIVERY_LOGGER = Service.DELIVERY.logger();

    /** The longest a line waits for the writer while mail flows. */
    static final Duration LINGER = Duration.ofMillis(10);
    /** Lines waiting for the writer at most; more make the caller wait. */
    static final int CAPACITY = 8192;

    private static final Map<Service, Logger> LOGGERS = new EnumMap<>(Service.class);
    private static final MailLogWriter WRITER = new MailLogWriter("mailslot-mail-log", LINGER, Duration.ofSeconds(30),
            CAPACITY, MailLog::write);

    static {
        for (Service service : Service.values()) {
            LOGGERS.put(service, LoggerFactory.getLogger(service.logger()));
        }
    }

    private MailLog() {
    }

    /** Logs the event, if its logger is on: queues it for the writer. Cheap when it is not: nothing is queued. */
    public static void log(MailLogEvent event) {
        if (LOGGERS.get(event.service()).isInfoEnabled()) {
            WRITER.add(event);
        }
    }

    /**
     * Waits until the lines logged before are with the logging system, at most {@code max}: for a component
     * that stops, so that no line of its last moments waits on a writer while the framework goes down.
     *
     * @return whether they all are
     */
    public static boolean flush(Duration max) {
        try {
            return WRITER.flush(max);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static void write(List<MailLogEvent> events) {
        for (MailLogEvent event : events) {
            // The line as the message, not an argument: nothing in it is a placeholder, and it is not copied again.
            LOGGERS.get(event.service()).info(line(event));
        }
    }

    /** @return whether the service's lines are logged, so that a caller can skip finding out what they would say */
    public static boolean logs(Service service) {
        return LOGGERS.get(service).isInfoEnabled();
    }

    /** @return the event's text as Postfix writes it after the service's name, from the queue id on */
    public static String line(MailLogEvent event) {
        StringBuilder line = new StringBuilder(160).append(event.queueId()).append(": ");
        if (event instanceof Received received) {
            line.append("client=unknown[").append(received.client().getHostAddress()).append(']');
            received.sasl().ifPresent(login -> printable(printable(line.append(", sasl_method="), login.method())
                    .append(", sasl_username="), login.username()));
        } else if (event instanceof Identified identified) {
            printable(line.append("message-id="), identified.messageId().isEmpty() ? "<>" : identified.messageId());
        } else if (event instanceof Queued queued) {
            printable(line.append("from=<"), queued.from().map(Object::toString).orElse(""))
                    .append(">, size=").append(queued.size()).append(", nrcpt=").append(queued.recipients())
                    .append(" (queue active)");
        } else if (event instanceof Delivery delivery) {
            printable(line.append("to=<"), delivery.to().toString()).append(">, relay=");
            printable(line, delivery.relay()).append(", delay=");
            seconds(line, delivery.delay()).append(", delays=");
            Delays delays = delivery.delays();
            seconds(line, delays.beforeAttempt()).append('/');
            seconds(line, delays.inAttempt()).append('/');
            seconds(line, delays.connecting()).append('/');
            seconds(line, delays.transmitting());
            printable(line.append(", dsn="), delivery.dsn()).append(", status=").append(delivery.status().word());
            printable(line.append(" ("), delivery.reply()).append(')');
        } else if (event instanceof Notified notified) {
            line.append(notified.kind().words()).append(": ").append(notified.noticeId());
        } else if (event instanceof Removed) {
            line.append("removed");
        }
        return line.toString();
    }

    /**
     * Postfix's way with a delay: whole seconds from 10 s, tenths from 1 s, hundredths below, cut (not
     * rounded) and without trailing zeros: {@code 376}, {@code 5.4}, {@code 0.31}, {@code 0.1}, {@code 0}.
     */
    static StringBuilder seconds(StringBuilder line, Duration duration) {
        long millis = Math.max(0, duration.toMillis());
        if (millis >= 10_000) {
            return line.append(millis / 1000);
        }
        long whole = millis / 1000;
        line.append(whole);
        if (whole > 0) {
            long tenths = millis % 1000 / 100;
            if (tenths != 0) {
                line.append('.').append(tenths);
            }
        } else {
            long hundredths = millis / 10;
            if (hundredths != 0) {
                line.append('.');
                if (hundredths < 10) {
                    line.append('0').append(hundredths);
                } else {
                    line.append(hundredths % 10 == 0 ? hundredths / 10 : hundredths);
                }
            }
        }
        return line;
    }

    /** Appends the text with every control character as {@code ?}, as Postfix does: one line, whatever a peer said. */
    private static StringBuilder printable(StringBuilder line, String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            line.append(c < 0x20 || c == 0x7f ? '?' : c);
        }
        return line;
    }
}
