package org.mailslot.transport.internal.delivery;

import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.URLName;

import org.eclipse.angus.mail.smtp.SMTPTransport;

/**
 * Angus's {@code SMTPTransport} for ports that start in clear: STARTTLS required or
 * opportunistic, or no TLS at all, with the {@link TlsFloor} and the {@link Transaction}'s MAIL
 * and RCPT commands.
 */
final class PlainOrStartTlsTransport extends SMTPTransport implements AngusConnection {

    private final boolean startTlsRequired;
    private Transaction transaction;

    PlainOrStartTlsTransport(Session session, boolean startTlsRequired) {
        super(session, new URLName("smtp", null, -1, null, null, null));
        this.startTlsRequired = startTlsRequired;
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
