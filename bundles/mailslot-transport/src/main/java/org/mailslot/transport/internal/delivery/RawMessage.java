package org.mailslot.transport.internal.delivery;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;

import org.mailslot.api.mail.MessageSource;

/**
 * A message that Angus sends as the octets of its {@link MessageSource}, unparsed and unchanged:
 * Angus's DATA stream only adds the dot-stuffing and the final CRLF that SMTP needs. Nothing
 * here reads or rewrites headers (no Message-ID, no MIME-Version, no re-encoding).
 */
final class RawMessage extends MimeMessage {

    private final MessageSource source;

    RawMessage(Session session, MessageSource source) {
        super(session);
        this.source = source;
    }

    @Override
    public void writeTo(OutputStream out) throws IOException, MessagingException {
        writeTo(out, null);
    }

    @Override
    public void writeTo(OutputStream out, String[] ignoreList) throws IOException, MessagingException {
        try (InputStream in = source.open()) {
            in.transferTo(out);
        }
    }

    @Override
    public void saveChanges() {
        // The octets are final; there is nothing to save.
    }
}
