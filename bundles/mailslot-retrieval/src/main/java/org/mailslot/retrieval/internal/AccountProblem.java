package org.mailslot.retrieval.internal;

import jakarta.mail.MessagingException;

/**
 * What retrying soon cannot fix: the configuration and the server disagree (a folder or
 * {@code move.to} missing, a port whose strategy has no TLS). The account shows {@code failed}
 * with this message and tries again only after {@code reconnect.max}.
 */
final class AccountProblem extends MessagingException {

    private static final long serialVersionUID = 1L;

    AccountProblem(String message) {
        super(message);
    }
}
