package org.mailslot.retrieval.internal;

import java.io.IOException;

import jakarta.mail.Session;
import jakarta.mail.URLName;

import org.eclipse.angus.mail.iap.ProtocolException;
import org.eclipse.angus.mail.imap.IMAPStore;
import org.eclipse.angus.mail.imap.protocol.IMAPProtocol;

/**
 * Angus's {@code IMAPStore}, created explicitly (implicit TLS as {@code IMAPSSLStore} does, or
 * plain with STARTTLS required), with the STARTTLS safety Angus leaves to the caller: a server
 * that greets with {@code PREAUTH} in clear skips Angus's STARTTLS entirely (the session is
 * already authenticated, RFC 9051 section 7.1.4), so such a greeting is refused when TLS is
 * required; and login is refused on any connection without TLS.
 */
final class GuardedImapStore extends IMAPStore {

    private final boolean tlsRequired;

    GuardedImapStore(Session session, boolean implicitTls, boolean tlsRequired) {
        super(session, new URLName(implicitTls ? "imaps" : "imap", null, -1, null, null, null),
                implicitTls ? "imaps" : "imap", implicitTls);
        this.tlsRequired = tlsRequired;
    }

    @Override
    protected IMAPProtocol newIMAPProtocol(String host, int port) throws IOException, ProtocolException {
        IMAPProtocol protocol = super.newIMAPProtocol(host, port);
        if (tlsRequired && protocol.isAuthenticated() && !protocol.isSSL()) {
            protocol.disconnect();
            throw new ProtocolException("the server greeted with PREAUTH in clear; refused, since TLS is required"
                    + " and PREAUTH would skip STARTTLS");
        }
        return protocol;
    }

    @Override
    protected void preLogin(IMAPProtocol protocol) throws ProtocolException {
        if (!protocol.isSSL()) {
            throw new ProtocolException("no TLS before login; credentials are never sent in clear");
        }
        super.preLogin(protocol);
    }
}
