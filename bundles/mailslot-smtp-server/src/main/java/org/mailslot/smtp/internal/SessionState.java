package org.mailslot.smtp.internal;

/**
 * What a session knows of its client between transactions: the name it gave, TLS, who
 * authenticated, and the counts that end a session that misbehaves. STARTTLS forgets the name and
 * the user (RFC 3207 section 4.2). Used on the session's loop only.
 */
final class SessionState {

    private String heloName;
    private String tls;
    private String user;
    private String saslMethod;
    private int authFailures;
    private int errors;
    private int junkCommands;
    private Transaction transaction;
    private AuthExchange auth;

    /** @return the HELO/EHLO name, null before one */
    String heloName() {
        return heloName;
    }

    void hello(String name) {
        heloName = name;
    }

    boolean tlsActive() {
        return tls != null;
    }

    /** @return protocol and cipher, null in clear */
    String tlsDescription() {
        return tls;
    }

    /** TLS is up, with this protocol and cipher (for the Received header). */
    void tlsUp(String description) {
        tls = description;
    }

    /** The client starts over for TLS: the name and the user go, with the transaction. */
    void startOver() {
        heloName = null;
        user = null;
        saslMethod = null;
        transaction = null;
    }

    /** @return the user who authenticated, null before AUTH succeeded */
    String user() {
        return user;
    }

    /** @return the SASL mechanism the user authenticated with, null before AUTH succeeded */
    String saslMethod() {
        return saslMethod;
    }

    void authenticated(String mechanism, String name) {
        saslMethod = mechanism;
        user = name;
    }

    /** @return failed AUTH attempts on this connection so far, this one included */
    int authFailed() {
        return ++authFailures;
    }

    /** @return the errors counted since the last accepted message, this one included */
    int error() {
        return ++errors;
    }

    /** @return junk commands since the last accepted message, this one included */
    int junk() {
        return ++junkCommands;
    }

    /** A message was accepted: the client's slate is clean. */
    void messageAccepted() {
        errors = 0;
        junkCommands = 0;
    }

    /** @return the transaction in progress, null outside MAIL .. end of data */
    Transaction transaction() {
        return transaction;
    }

    void transaction(Transaction next) {
        transaction = next;
    }

    /** @return the AUTH exchange waiting for the client's next line, null when none */
    AuthExchange auth() {
        return auth;
    }

    void auth(AuthExchange exchange) {
        auth = exchange;
    }
}
