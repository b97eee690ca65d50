package org.mailslot.smtp.internal;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

import org.mailslot.api.mail.Envelope;
import org.mailslot.api.submission.MailSubmission;

/**
 * DATA: once the transaction has a recipient, opens the message in the spool with a Received
 * header in front; 354 comes when it is open (see {@link SmtpSession#openMessage}).
 */
final class DataCommand implements Command {

    @Override
    public void execute(SmtpSession session, String argument) {
        Transaction transaction = session.state().transaction();
        if (!argument.isBlank()) {
            session.send("501 5.5.4 Syntax: DATA");
            return;
        }
        if (transaction == null) {
            session.send("503 5.5.1 Need MAIL before DATA");
            return;
        }
        if (transaction.recipients() == 0) {
            session.send("554 5.5.1 No valid recipients");
            return;
        }
        MailSubmission submission = session.listener().submission();
        if (submission == null) {
            session.send("451 4.3.0 Mail storage is unavailable; try again later");
            return;
        }
        Envelope envelope = transaction.envelope();
        byte[] received = receivedHeader(session, envelope, transaction).getBytes(StandardCharsets.UTF_8);
        session.openMessage(submission, envelope, received);
    }

    private static String receivedHeader(SmtpSession session, Envelope envelope, Transaction transaction) {
        SessionState state = session.state();
        boolean tls = state.tlsActive();
        boolean auth = state.user() != null;
        String protocol = "ESMTP" + (tls ? "S" : "") + (auth ? "A" : "");
        String address = session.client().getAddress().getHostAddress();
        StringBuilder header = new StringBuilder("Received: from ").append(Texts.printable(state.heloName()))
                .append(" ([").append(address).append("])\r\n")
                .append("\tby ").append(session.settings().hostname()).append(" (Mailslot) with ").append(protocol)
                .append(" id ").append(session.id()).append("\r\n");
        if (tls || auth) {
            header.append('\t');
            if (tls) {
                header.append("(using ").append(state.tlsDescription()).append(')');
            }
            if (auth) {
                header.append(tls ? " " : "").append("(authenticated user ").append(Texts.commentSafe(state.user())).append(')');
            }
            header.append("\r\n");
        }
        if (envelope.recipients().size() == 1) {
            header.append("\tfor <").append(transaction.firstRecipient()).append(">;");
        } else {
            header.append('\t').append(';');
        }
        header.append(' ').append(ReceivedDate.now()).append("\r\n");
        return header.toString();
    }

    /** The date of Received fields, formatted once a second: the messages of a second share it. */
    private record ReceivedDate(long second, String text) {

        private static volatile ReceivedDate last = new ReceivedDate(Long.MIN_VALUE, "");

        static String now() {
            long second = Math.floorDiv(System.currentTimeMillis(), 1000);
            ReceivedDate date = last;
            if (date.second != second) {
                date = new ReceivedDate(second, DateTimeFormatter.RFC_1123_DATE_TIME.format(
                        ZonedDateTime.ofInstant(Instant.ofEpochSecond(second), ZoneId.systemDefault())));
                last = date;
            }
            return date.text;
        }
    }
}
