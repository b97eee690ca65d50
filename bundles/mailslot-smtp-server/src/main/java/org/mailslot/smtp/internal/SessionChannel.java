package org.mailslot.smtp.internal;

import javax.net.ssl.SSLEngine;

/**
 * What a {@link SmtpSession} needs of its connection, without netty: replies out, input paused
 * and resumed, TLS, and its event loop. {@link SmtpChannelHandler} is the one implementation.
 * Every method is called on the session's event loop.
 */
interface SessionChannel extends SessionClock.Timer {

    /** Writes a reply; it goes out with the next flush (after the input at hand is processed). */
    void reply(String text);

    /** Writes a reply and flushes it. */
    void flushReply(String text);

    /** Writes a last reply and closes once it is out, or after a grace period if the client does not read it. */
    void closeAfter(String text);

    /** Answers STARTTLS with {@code reply} in clear, drops the input that followed, and puts TLS in front. */
    void startTls(SSLEngine engine, String reply);

    /** Stops processing input and reading: a step of the session's is pending. */
    void pause();

    /** Processes input again, what is kept first. */
    void resume();

    boolean paused();

    /** @return whether processing waits for a TLS handshake, which is the client's to complete */
    boolean awaitingHandshake();

    /** Reads again if the storage has caught up (after a write on a worker). */
    void updateAutoRead();

    /** Runs a task on the session's event loop. */
    void onLoop(Runnable task);
}
