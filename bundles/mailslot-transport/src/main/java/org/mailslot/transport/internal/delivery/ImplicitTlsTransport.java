package org.mailslot.transport.internal.delivery;

import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.URLName;

import org.eclipse.angus.mail.smtp.SMTPSSLTransport;

/**
 * Angus's {@code SMTPSSLTransport} for implicit-TLS ports (RFC 8314): TLS from the first byte,
 * through the route's {@link RouteSocketFactory}; with the {@link Transaction}'s MAIL and RCPT
 * commands. The {@link TlsFloor} holds trivially here, and is applied all the same.
 */
final class ImplicitTlsTransport extends SMTPSSLTransport implements AngusConnection {

    private Transaction transaction;

    ImplicitTlsTransport(Session session) {
        super(session, new URLName("smtps", null, -1, null, null, null));
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
