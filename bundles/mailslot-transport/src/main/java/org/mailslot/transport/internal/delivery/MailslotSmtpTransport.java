package org.mailslot.transport.internal.delivery;

import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.URLName;

import org.eclipse.angus.mail.smtp.SMTPTransport;

/**
 * Angus's {@code SMTPTransport}, created explicitly for each port's TLS mode: TLS from the first
 * byte on implicit-TLS ports (RFC 8314, what Angus's {@code SMTPSSLTransport} does), or a start
 * in clear with STARTTLS required, opportunistic, or none; always with the {@link TlsFloor} and
 * the {@link Transaction}'s MAIL and RCPT commands.
 */
final class MailslotSmtpTransport extends SMTPTransport implements AngusConnection {

    private final boolean startTlsRequired;
    private Transaction transaction;

    /**
     * @param session the connection's own session (its properties use the prefix {@code mail.smtps}
     *     for implicit TLS, {@code mail.smtp} otherwise)
     * @param implicitTls whether TLS starts with the first byte
     * @param startTlsRequired whether a port that starts in clear must reach TLS before anything else
     */
    MailslotSmtpTransport(Session session, boolean implicitTls, boolean startTlsRequired) {
        super(session, new URLName(protocol(implicitTls), null, -1, null, null, null), protocol(implicitTls), implicitTls);
        this.startTlsRequired = startTlsRequired;
    }

    private static String protocol(boolean implicitTls) {
        return implicitTls ? "smtps" : "smtp";
    }

    @Override
    public synchronized void transaction(Transaction next) {
        this.transaction = next;
    }

    @Override
    public boolean supportsExtension(String extension) {
        return !TlsFloor.hidden(extension, isSSL()) && super.supportsExtension(extension);
    }

    @Override
    protected boolean supportsAuthentication(String mechanism) {
        return isSSL() && super.supportsAuthentication(mechanism);
    }

    @Override
    protected boolean ehlo(String domain) throws MessagingException {
        boolean accepted = super.ehlo(domain);
        TlsFloor.afterEhlo(accepted, isSSL(), startTlsRequired, accepted && super.supportsExtension("STARTTLS"));
        return accepted;
    }

    @Override
    protected void mailFrom() throws MessagingException {
        transaction.mailFrom(this);
    }

    @Override
    protected void rcptTo() throws MessagingException {
        transaction.rcptTo(this);
    }

    @Override
    public void command(String command) throws MessagingException {
        sendCommand(command);
    }

    @Override
    public int response() throws MessagingException {
        return readServerResponse();
    }
}
