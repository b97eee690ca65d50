package org.mailslot.api.retrieval;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Receives retrieved messages (a whiteboard service; third parties register their own).
 *
 * <p><b>Delivery.</b> Every handler registered when a message has been processed gets it, each
 * independently: a handler that throws is retried later with backoff for that message, without
 * holding back the other handlers or other messages. A handler that returns normally has taken
 * the message; it is not given the same message again, across restarts too (at least once, so a
 * crash between hand-off and its record on disk may repeat a few per handler — handlers
 * de-duplicate by {@link RetrievedMessage#id()}).
 *
 * <p>Messages are kept in the account's local Maildir, so a handler that registers later (after a
 * restart, an update, or for the first time) receives every retained message of the accounts it
 * wants that it has not taken under its {@link #NAME}.
 *
 * <p>Each handler is called on a thread of its own per account, one message at a time, after the
 * {@link InboundProcessor}s; a slow handler delays only its own hand-offs, never another handler's
 * or retrieval. A call that has not returned after the account's {@code handler.timeout} counts
 * as a failure: the thread is interrupted and the message offered again later (so a handler that
 * returns normally after its timeout may see the message twice). While an inbound stage named in
 * {@code inbound.required} is missing, no handler is called. Thread-safe.
 */
@ConsumerType
public interface MessageHandler {

    /**
     * Service property naming the handler; hand-off is recorded per handler name, so a handler
     * keeps its name across restarts and updates. Required.
     */
    String NAME = "mailslot.handler.name";

    /**
     * Optional service property: account names this handler wants (a String or String[]); all
     * accounts without it.
     */
    String ACCOUNTS = "mailslot.handler.accounts";

    /**
     * @param message the retrieved message
     * @throws Exception if the message was not taken; it is offered again later
     */
    void handle(RetrievedMessage message) throws Exception;
}
