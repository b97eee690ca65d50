package org.mailslot.smtp.internal;

import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import java.util.function.Supplier;

import javax.net.ssl.SSLEngine;

import org.mailslot.api.mail.Envelope;
import org.mailslot.api.port.PortStrategy;
import org.mailslot.api.submission.MailSubmission;
import org.mailslot.api.submission.MessageWriter;
import org.mailslot.api.submission.SubmissionReceipt;
import org.mailslot.support.maillog.MailLog;
import org.mailslot.support.maillog.MailLogEvent;

/**
 * One SMTP conversation: the client's command lines go to their {@link Command}s, which work on
 * the {@link SessionState}; a message goes through an {@link IncomingMessage}; what blocks runs
 * through {@link SpoolSteps}. Replies, pausing and TLS go through its {@link SessionChannel}
 * ({@link SmtpChannelHandler}, the netty side, which frames the input and calls in here).
 *
 * <p>Everything runs on the channel's event loop. While a step is pending on a worker the session
 * is paused: input is kept, not processed, and reading stops.
 */
final class SmtpSession {

    private enum Phase { COMMAND, DATA, CLOSED }

    private final Listener listener;
    private final Settings settings;
    private final PortStrategy strategy;
    private final InetSocketAddress client;
    private final String id = Long.toString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE, 36);
    private final SessionChannel channel;
    private final SpoolSteps steps;
    private final SessionState state = new SessionState();
    private final SessionClock clock;
    private Phase phase = Phase.COMMAND;
    private IncomingMessage message;
    private boolean shutdownRequested;

    SmtpSession(Listener listener, PortStrategy strategy, InetSocketAddress client, SessionChannel channel) {
        this.listener = listener;
        this.settings = listener.settings();
        this.strategy = strategy;
        this.client = client;
        this.channel = channel;
        this.steps = new SpoolSteps(id, client, listener.blocking(), channel::onLoop, channel::updateAutoRead);
        this.clock = new SessionClock(this, settings, listener::underStress, channel);
    }

    // ---- from the channel ----

    /** The connection is up: greets, or refuses with {@code refusal} when that is not null. */
    void greet(String refusal) {
        if (refusal != null) {
            closeWith(refusal);
            return;
        }
        channel.flushReply("220 " + settings.hostname() + " ESMTP Mailslot");
        clock.restartTimer();
    }

    /** A whole command line arrived (or a spoiled one: bare line ending, too long). */
    void line(CommandLineFramer line) {
        String text = CommandLines.decode(line.octets(), line.length());
        String verb = text == null ? CommandLines.verb(line.octets(), line.length()) : null;
        // A whole line arrived in time: the next one has a time of its own.
        clock.restart();
        if (line.bare()) {
            // Whatever the bare CR or LF was meant to separate is one bad line, executed never.
            state.auth(null);
            send("500 5.5.2 Syntax error: bare CR or LF in a command line; only CRLF ends a line");
        } else if (line.tooLong()) {
            state.auth(null);
            send("500 5.5.6 Line too long; at most " + settings.maxLineLength() + " octets including CRLF");
        } else if (text == null) {
            state.auth(null);
            refuseBadUtf8(verb);
        } else if (state.auth() != null) {
            AuthCommand.respond(this, text);
        } else {
            Commands.execute(this, text);
        }
        closeIfIdleAndShuttingDown();
    }

    /** @return the message being received, null outside DATA */
    IncomingMessage message() {
        return phase == Phase.DATA ? message : null;
    }

    /** The end of data arrived: the message is committed or refused, and answered. */
    void endOfData() {
        IncomingMessage done = message;
        message = null;
        phase = Phase.COMMAND;
        clock.restartTimer();
        String refusal = switch (done.verdict()) {
            case BARE_LINE_ENDING -> "550 5.6.0 Message refused: bare CR or LF found; lines must end with CRLF";
            case TOO_LARGE -> "552 5.3.4 Message size exceeds the limit of " + settings.maxMessageSize() + " octets";
            case COMPLETE -> null;
        };
        pause();
        SenderCheck senderCheck = done.senderCheck();
        if (refusal == null && senderCheck != null) {
            steps.checkThenCommit(done, senderCheck, this::answerData);
            return;
        }
        steps.commit(done, refusal, this::answerData);
    }

    /** TLS is up, for implicit TLS or after STARTTLS. */
    void tlsUp(String description) {
        state.tlsUp(description);
        // Anything read before the handshake ended is gone already; start clean.
        clock.restart();
        resume();
    }

    /** The connection is gone. */
    void closed() {
        phase = Phase.CLOSED;
        clock.stop();
        discardMessage();
    }

    /** Asks the session to end: now if it is idle, after its transaction otherwise. On the loop. */
    void shutdown() {
        shutdownRequested = true;
        closeIfIdleAndShuttingDown();
    }

    /** The listener came under stress: the shorter times apply now, to this session too. On the loop. */
    void pressureRose() {
        clock.check();
    }

    /** @return whether the session ended (or is ending): nothing more is read */
    boolean isClosed() {
        return phase == Phase.CLOSED;
    }

    /** @return whether the client's input is message text */
    boolean inData() {
        return phase == Phase.DATA;
    }

    /** @return whether reading should stop because message octets wait for the storage */
    boolean storageBehind() {
        return steps.aboveHighWater();
    }

    // ---- for the commands ----

    SessionState state() {
        return state;
    }

    Listener listener() {
        return listener;
    }

    Settings settings() {
        return settings;
    }

    PortStrategy strategy() {
        return strategy;
    }

    InetSocketAddress client() {
        return client;
    }

    String id() {
        return id;
    }

    /**
     * Answers a command. A 4xx or 5xx answer counts as an error of the client's; at
     * {@code max.errors} (Postfix's smtpd_hard_error_limit) the session ends with 421.
     */
    void send(String text) {
        answer(text);
        char code = text.charAt(0);
        if (code == '4' || code == '5') {
            countError();
        }
    }

    /** Answers a command that achieves nothing; beyond {@code max.junk.commands} each counts as an error. */
    void junk(String text) {
        answer(text);
        if (state.junk() > settings.maxJunkCommands()) {
            countError();
        }
    }

    /** Answers without counting: a verdict, or a reply of several lines (each ended by CRLF but the last). */
    void answer(String text) {
        if (phase != Phase.CLOSED || text.startsWith("221") || text.startsWith("421")) {
            listener.replied(text);
            channel.reply(text);
        }
    }

    /** Answers with the last reply and closes. */
    void closeWith(String text) {
        if (phase == Phase.CLOSED) {
            return;
        }
        phase = Phase.CLOSED;
        listener.replied(text);
        channel.closeAfter(text);
    }

    void resetTransaction() {
        state.transaction(null);
    }

    /** STARTTLS was accepted: what followed it in clear is dropped, and the client starts over under TLS. */
    void startTls(SSLEngine engine) {
        state.startOver();
        channel.startTls(engine, "220 2.0.0 Ready to start TLS");
    }

    /**
     * Runs a blocking step (a password check) on a worker, in order after the session's other
     * steps, with the session paused until {@code then} has taken its result on the loop.
     */
    <T> void offLoop(Supplier<T> step, Consumer<T> then) {
        pause();
        steps.blocking(() -> {
            T result = step.get();
            steps.onLoop(() -> {
                then.accept(result);
                resume();
            });
        });
    }

    /** Opens the message in the spool; 354 once it is open, and the client's octets are message text from then on. */
    void openMessage(MailSubmission submission, Envelope envelope, byte[] received) {
        pause();
        steps.begin(submission, envelope, received, new SpoolSteps.Opening() {
            @Override
            public void opened(MessageWriter writer, boolean inline) {
                if (phase == Phase.CLOSED) {
                    steps.discard(writer);
                } else {
                    // SIZE counts the client's octets only, not the Received header added here.
                    message = new IncomingMessage(new DataReceiver(settings.maxMessageSize()), writer, inline, steps, received.length,
                            SenderCheck.of(SmtpSession.this));
                    phase = Phase.DATA;
                    send("354 End data with <CR><LF>.<CR><LF>");
                    clock.restartTimer();
                }
                resume();
            }

            @Override
            public void refused(String reply) {
                send(reply);
                resetTransaction();
                resume();
            }
        });
    }

    // ---- for the clock ----

    /** @return whether the session waits on us (a worker, the storage), not on the client */
    boolean waitingOnUs() {
        return channel.paused() && !channel.awaitingHandshake() || steps.writing();
    }

    /** @return octets of the message received so far, 0 outside DATA */
    long messageSize() {
        return message == null ? 0 : message.size();
    }

    /** The client's time ran out. */
    void timedOut() {
        discardMessage();
        closeWith("421 4.4.2 " + settings.hostname() + " Error: timeout exceeded");
    }

    // ---- inside ----

    /**
     * A line that is not UTF-8 is refused, never decoded with replacement characters: two byte
     * sequences would otherwise name one mailbox (Postfix: "bad UTF-8 syntax").
     */
    private void refuseBadUtf8(String verb) {
        switch (verb) {
            case "MAIL" -> send("553 5.1.7 Bad sender address syntax: bad UTF-8 syntax");
            case "RCPT" -> send("501 5.1.3 Bad recipient address syntax: bad UTF-8 syntax");
            default -> send("500 5.5.2 Error: bad UTF-8 syntax");
        }
    }

    /** The verdict on a message, on the loop. */
    private void answerData(String reply, SubmissionReceipt accepted) {
        if (accepted != null) {
            listener.messageAccepted();
            state.messageAccepted();
            MailLog.log(new MailLogEvent.Received(accepted.id(), client.getAddress(), Optional.ofNullable(state.user())
                    .map(user -> new MailLogEvent.SaslLogin(state.saslMethod(), user))));
        }
        resetTransaction();
        // The verdict on a message is not a protocol error of the client's.
        answer(reply);
        resume();
        closeIfIdleAndShuttingDown();
    }

    private void discardMessage() {
        IncomingMessage dropped = message;
        message = null;
        if (dropped != null) {
            steps.discard(dropped);
        }
    }

    private void countError() {
        if (phase != Phase.CLOSED && state.error() >= settings.maxErrors()) {
            closeWith("421 4.7.0 " + settings.hostname() + " Error: too many errors");
        }
    }

    private void closeIfIdleAndShuttingDown() {
        if (shutdownRequested && phase == Phase.COMMAND && state.transaction() == null && !channel.paused()) {
            closeWith("421 4.3.2 " + settings.hostname() + " Service shutting down");
        }
    }

    private void pause() {
        channel.pause();
    }

    private void resume() {
        channel.resume();
    }
}
