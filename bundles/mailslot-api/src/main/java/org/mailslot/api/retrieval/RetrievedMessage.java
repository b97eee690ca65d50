package org.mailslot.api.retrieval;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

import org.mailslot.api.auth.SenderAuthentication;
import org.mailslot.api.crypto.OpenedMessage;
import org.mailslot.api.mail.MessageSource;
import org.osgi.annotation.versioning.ProviderType;

/**
 * One message fetched from an account and stored durably, as handed to the inbound pipeline and
 * the handlers. Immutable.
 *
 * @param account the account's configuration name
 * @param folder the IMAP folder, or {@code INBOX} for POP3
 * @param id the message's stable identity on the server: {@code UIDVALIDITY/UID} for IMAP, the
 *     UIDL for POP3; the same message keeps it across restarts, so handlers can de-duplicate
 * @param retrieved when it was stored locally
 * @param content the message octets (RFC 5322, CRLF), decrypted if the pipeline decrypted it
 * @param opened the result of decryption and verification if a processor opened the message
 * @param openFailure why a protected message could not be opened (it is then handed on as
 *     received, still protected), if that happened
 * @param authentication the sender checks (DKIM, DMARC; SPF is {@code none}, as there is no SMTP
 *     client to check) when mailslot-auth's {@code sender-auth} processor ran, on the message as fetched
 *     (since 1.1)
 */
@ProviderType
public record RetrievedMessage(String account, String folder, String id, Instant retrieved, MessageSource content,
        Optional<OpenedMessage> opened, Optional<String> openFailure, Optional<SenderAuthentication> authentication) {

    /** A message without sender checks, as before 1.1. */
    public RetrievedMessage(String account, String folder, String id, Instant retrieved, MessageSource content,
            Optional<OpenedMessage> opened, Optional<String> openFailure) {
        this(account, folder, id, retrieved, content, opened, openFailure, Optional.empty());
    }

    public RetrievedMessage {
        Objects.requireNonNull(account, "account");
        Objects.requireNonNull(folder, "folder");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(retrieved, "retrieved");
        Objects.requireNonNull(content, "content");
        Objects.requireNonNull(opened, "opened");
        Objects.requireNonNull(openFailure, "openFailure");
        Objects.requireNonNull(authentication, "authentication");
    }

    /** @return a message as fetched, before any processing */
    public static RetrievedMessage fetched(String account, String folder, String id, Instant retrieved,
            MessageSource content) {
        return new RetrievedMessage(account, folder, id, retrieved, content, Optional.empty(), Optional.empty());
    }

    /** @return this message with its protection removed */
    public RetrievedMessage withOpened(OpenedMessage result) {
        return new RetrievedMessage(account, folder, id, retrieved, result.content(), Optional.of(result),
                Optional.empty(), authentication);
    }

    /** @return this message, unchanged, noting why it could not be opened */
    public RetrievedMessage withOpenFailure(String reason) {
        return new RetrievedMessage(account, folder, id, retrieved, content, opened, Optional.of(reason), authentication);
    }

    /** @return this message with the results of its sender checks */
    public RetrievedMessage withAuthentication(SenderAuthentication result) {
        return new RetrievedMessage(account, folder, id, retrieved, content, opened, openFailure, Optional.of(result));
    }
}
