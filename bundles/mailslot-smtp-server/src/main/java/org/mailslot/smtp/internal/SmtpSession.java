package org.mailslot.smtp.internal;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;

import org.mailslot.api.mail.BodyType;
import org.mailslot.api.mail.DsnNotify;
import org.mailslot.api.mail.DsnReturn;
import org.mailslot.api.mail.Envelope;
import org.mailslot.api.mail.MailAddress;
import org.mailslot.api.mail.Recipient;
import org.mailslot.api.port.AuthPolicy;
import org.mailslot.api.port.PortStrategy;
import org.mailslot.api.port.TlsMode;
import org.mailslot.api.submission.MailSubmission;
import org.mailslot.api.submission.MessageWriter;
import org.mailslot.api.submission.SubmissionException;
import org.mailslot.api.submission.SubmissionReceipt;
import org.mailslot.api.tls.TlsUnavailableException;
import org.mailslot.support.mail.OctetWords;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.ScheduledFuture;

/**
 * One SMTP connection. Everything runs on the channel's event loop except the blocking steps
 * (AUTH, opening, writing and committing a message), which run in order on the listener's worker
 * pool; while one is pending the session is paused: input is kept, not processed, and reading
 * stops. Commands are read strictly: only CRLF ends a line, and a bare CR or LF spoils the line
 * or the message it is in (SMTP smuggling).
 */
final class SmtpSession extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(SmtpSession.class);

    /** Unwritten message octets above which reading stops until the storage catches up. */
    private static final long HIGH_WATER = 1024 * 1024;
    /** How long a last reply (421, 221) may wait for a client that does not read before the connection goes. */
    private static final long CLOSE_GRACE_SECONDS = 10;
    private static final String THROTTLED = "454 4.7.0 Too many failed authentication attempts from your address; try again later";
    private static final byte CR = '\r';
    private static final byte LF = '\n';

    private enum Phase { COMMAND, AUTH_PLAIN, AUTH_LOGIN_USER, AUTH_LOGIN_PASSWORD, DATA, CLOSED }

    private enum DataState { LINE_START, IN_LINE, CR, DOT, DOT_CR }

    private final Listener listener;
    private final Settings settings;
    private final PortStrategy strategy;
    private final InetSocketAddress client;
    private final String refusal;
    private final String id = Long.toString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE, 36);

    // Set once in handlerAdded; read by the listener's close from another thread.
    private volatile ChannelHandlerContext ctx;
    private ByteBuf inbound;
    private boolean paused;
    /** Paused for a TLS handshake: processing waits, but reading goes on so the handshake can. */
    private boolean awaitingHandshake;
    private boolean shutdownRequested;
    private Phase phase = Phase.COMMAND;
    /**
     * When the client's time for the current command line (or message) began: the end of the line
     * before, or of a wait on our side. Octets that arrive do not move it (slowloris).
     */
    private long clockStart = System.nanoTime();
    /** In DATA: the message octets received when the clock started; each one after adds to the deadline. */
    private long dataSizeAtStart;
    private ScheduledFuture<?> timer;

    // Command line assembly.
    private final byte[] line;
    private int lineLength;
    private boolean lineTooLong;
    private boolean lineBareEnding;
    private boolean sawCr;

    // Session state, reset by STARTTLS.
    private String heloName;
    private boolean tlsActive;
    private String tlsDescription;
    private String user;
    private String loginUser;
    private int authFailures;
    /** Replies 4xx/5xx and junk commands beyond the allowance since the last accepted message. */
    private int errors;
    private int junkCommands;

    // Transaction state, reset by RSET, HELO/EHLO and the end of DATA.
    private Envelope.Builder transaction;
    private boolean smtpUtf8Transaction;
    private int recipients;
    private String firstRecipient;

    // DATA state.
    private DataState dataState;
    private long dataSize;
    private boolean dataBare;
    private boolean dataTooLarge;
    private MessageWriter writer;
    private volatile SubmissionException writeFailure;
    private final AtomicLong unwritten = new AtomicLong();
    /**
     * Message octets not yet handed to the writer: while the message is small
     * ({@link MailSubmission#SMALL_MESSAGE}) they wait for the end of data, so that it takes one step
     * with its commit, not one per read.
     */
    private byte[] held = new byte[0];
    private int heldLength;
    private int holdLimit;
    /** Whether the writer came from a spool that takes small messages without blocking. */
    private boolean writerInline;
    /** Whether any of the current message went to the writer before its end. */
    private boolean handedOver;
    private CompletableFuture<Void> work = CompletableFuture.completedFuture(null);

    SmtpSession(Listener listener, PortStrategy strategy, InetSocketAddress client, String refusal) {
        this.listener = listener;
        this.settings = listener.settings();
        this.strategy = strategy;
        this.client = client;
        this.refusal = refusal;
        this.line = new byte[settings.maxLineLength()];
    }

    // ---- netty events ----

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        // On the heap: the DATA scan reads its array.
        this.inbound = Unpooled.buffer(1024);
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        if (refusal != null) {
            closeWith(refusal);
            return;
        }
        SslHandler tls = ctx.pipeline().get(SslHandler.class);
        if (tls != null) {
            paused = true;
            awaitingHandshake = true;
            tls.handshakeFuture().addListener(future -> {
                listener.tlsHandshake(future.isSuccess());
                if (future.isSuccess()) {
                    tlsUp(tls);
                } else {
                    ctx.close();
                }
            });
        }
        ctx.writeAndFlush(reply("220 " + settings.hostname() + " ESMTP Mailslot"));
        restartTimer();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf buffer = (ByteBuf) msg;
        try {
            if (phase != Phase.CLOSED) {
                inbound.writeBytes(buffer);
            }
        } finally {
            buffer.release();
        }
        drain();
    }

    /**
     * A client that sends commands but never reads the replies must not make us buffer them
     * without bound: while the channel is not writable, no command is processed and reading stops.
     */
    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable() && !paused && phase != Phase.CLOSED) {
            drain();
        } else {
            updateAutoRead();
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        phase = Phase.CLOSED;
        if (timer != null) {
            timer.cancel(false);
        }
        discardMessage();
        inbound.release();
        inbound = Unpooled.EMPTY_BUFFER;
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("SMTP session {} from {}: {}", id, client, cause.toString());
        ctx.close();
    }

    /** @return octets of replies held in memory, not yet taken by the socket */
    long queuedOutput() {
        ChannelOutboundBuffer buffer = ctx.channel().unsafe().outboundBuffer();
        return buffer == null ? 0 : buffer.totalPendingWriteBytes();
    }

    ChannelFuture closeFuture() {
        return ctx.channel().closeFuture();
    }

    /** Asks the session to end: now if it is idle, after its transaction otherwise. */
    void shutdown() {
        ctx.executor().execute(() -> {
            shutdownRequested = true;
            closeIfIdleAndShuttingDown();
        });
    }

    void forceClose() {
        ctx.channel().close();
    }

    // ---- input ----

    private void drain() {
        while (!paused && phase != Phase.CLOSED && inbound.isReadable() && (phase == Phase.DATA || ctx.channel().isWritable())) {
            if (phase == Phase.DATA) {
                readData();
            } else {
                readCommandLine();
            }
        }
        inbound.discardReadBytes();
        updateAutoRead();
        ctx.flush();
    }

    /** Reads up to one complete line and handles it. */
    private void readCommandLine() {
        while (inbound.isReadable()) {
            byte b = inbound.readByte();
            if (sawCr) {
                sawCr = false;
                if (b == LF) {
                    endOfLine();
                    return;
                }
                lineBareEnding = true;
            }
            if (b == CR) {
                sawCr = true;
            } else if (b == LF) {
                lineBareEnding = true;
            } else if (lineLength < line.length - 2) {
                line[lineLength++] = b;
            } else {
                lineTooLong = true;
            }
        }
    }

    private void endOfLine() {
        String text = CommandLines.decode(line, lineLength);
        String verb = text == null ? CommandLines.verb(line, lineLength) : null;
        boolean bare = lineBareEnding;
        boolean tooLong = lineTooLong;
        lineLength = 0;
        lineBareEnding = false;
        lineTooLong = false;
        // A whole line arrived in time: the next one has a time of its own.
        restartClock();
        if (bare) {
            // Whatever the bare CR or LF was meant to separate is one bad line, executed never.
            abortAuthExchange();
            send("500 5.5.2 Syntax error: bare CR or LF in a command line; only CRLF ends a line");
        } else if (tooLong) {
            abortAuthExchange();
            send("500 5.5.6 Line too long; at most " + settings.maxLineLength() + " octets including CRLF");
        } else if (text == null) {
            abortAuthExchange();
            refuseBadUtf8(verb);
        } else {
            switch (phase) {
                case AUTH_PLAIN -> authPlainResponse(text);
                case AUTH_LOGIN_USER -> authLoginUser(text);
                case AUTH_LOGIN_PASSWORD -> authLoginPassword(text);
                default -> command(text);
            }
        }
        closeIfIdleAndShuttingDown();
    }

    private void readData() {
        // What one read yields is at most one octet more than it takes (a CR held from the read before).
        int room = inbound.readableBytes() + 2;
        // A message still small enough to hold is unstuffed straight into what is held.
        boolean holding = heldLength + room <= holdLimit;
        byte[] out;
        if (holding) {
            out = heldWithRoom(room);
        } else {
            out = new byte[room];
        }
        int start = holding ? heldLength : 0;
        int written = start;
        boolean end = false;
        while (inbound.isReadable() && !end) {
            if (dataState == DataState.IN_LINE) {
                // Lines that end in CRLF and whose next one starts with an ordinary octet are copied as
                // they are, in one go (a heap buffer: see handlerAdded).
                int from = inbound.arrayOffset() + inbound.readerIndex();
                int run = ordinaryLinesEnd(inbound.array(), from, inbound.arrayOffset() + inbound.writerIndex()) - from;
                if (run > 0) {
                    System.arraycopy(inbound.array(), from, out, written, run);
                    inbound.skipBytes(run);
                    written += run;
                    continue;
                }
            }
            byte b = inbound.readByte();
            switch (dataState) {
                case LINE_START -> {
                    if (b == '.') {
                        dataState = DataState.DOT;
                    } else {
                        written = inLine(b, out, written);
                    }
                }
                case DOT -> {
                    if (b == CR) {
                        dataState = DataState.DOT_CR;
                    } else {
                        // The leading dot of a stuffed line goes (RFC 5321 section 4.5.2).
                        written = inLine(b, out, written);
                    }
                }
                case DOT_CR -> {
                    if (b == LF) {
                        end = true;
                    } else {
                        dataBare = true;
                        written = inLine(b, out, written);
                    }
                }
                case CR -> {
                    if (b == LF) {
                        out[written++] = CR;
                        out[written++] = LF;
                        dataState = DataState.LINE_START;
                    } else {
                        dataBare = true;
                        written = inLine(b, out, written);
                    }
                }
                default -> written = inLine(b, out, written);
            }
        }
        dataSize += written - start;
        if (dataSize > settings.maxMessageSize()) {
            dataTooLarge = true;
        }
        if (written > start && !dataBare && !dataTooLarge) {
            if (holding) {
                heldLength = written;
            } else {
                writeChunk(out, written);
            }
        }
        if (end) {
            endOfData();
        }
    }

    /**
     * @return where, from inside a line at {@code from}, the octets stop being ones DATA passes on
     *     unchanged: the first line break that is not a CRLF followed (in this buffer) by an octet
     *     other than a dot, CR or LF; {@code to} if there is none
     */
    private static int ordinaryLinesEnd(byte[] octets, int from, int to) {
        int i = from;
        while (true) {
            int lineBreak = OctetWords.indexOfLineBreak(octets, i, to);
            if (lineBreak + 2 >= to || octets[lineBreak] != CR || octets[lineBreak + 1] != LF) {
                return lineBreak;
            }
            byte next = octets[lineBreak + 2];
            if (next == '.' || next == CR || next == LF) {
                return lineBreak;
            }
            i = lineBreak + 3;
        }
    }

    private int inLine(byte b, byte[] out, int written) {
        if (b == CR) {
            dataState = DataState.CR;
            return written;
        }
        dataState = DataState.IN_LINE;
        if (b == LF) {
            // A bare LF: neither a line end nor content; the message will be refused.
            dataBare = true;
            return written;
        }
        out[written] = b;
        return written + 1;
    }

    // ---- commands ----

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

    private void command(String text) {
        int space = text.indexOf(' ');
        String verb = (space < 0 ? text : text.substring(0, space)).toUpperCase(Locale.ROOT);
        String argument = space < 0 ? "" : text.substring(space + 1);
        switch (verb) {
            case "EHLO" -> hello(argument, true);
            case "HELO" -> hello(argument, false);
            case "STARTTLS" -> startTls(argument);
            case "AUTH" -> auth(argument);
            case "MAIL" -> mail(argument);
            case "RCPT" -> rcpt(argument);
            case "DATA" -> data(argument);
            case "RSET" -> {
                resetTransaction();
                junk("250 2.0.0 Ok");
            }
            case "NOOP" -> junk("250 2.0.0 Ok");
            case "QUIT" -> closeWith("221 2.0.0 " + settings.hostname() + " Bye");
            case "VRFY" -> junk("252 2.5.0 Cannot VRFY user, but will accept the message and attempt delivery");
            case "EXPN" -> send("502 5.5.1 EXPN is not supported");
            case "HELP" -> junk("214 2.0.0 See RFC 5321");
            case "BDAT" -> send("502 5.5.1 BDAT is not supported (CHUNKING is not offered)");
            default -> send("500 5.5.2 Command not recognized");
        }
    }

    private void hello(String argument, boolean extended) {
        String name = argument.trim();
        if (name.isEmpty() || name.contains(" ")) {
            send("501 5.5.4 Syntax: " + (extended ? "EHLO" : "HELO") + " hostname");
            return;
        }
        resetTransaction();
        heloName = name;
        if (!extended) {
            send("250 " + settings.hostname());
            return;
        }
        List<String> lines = new ArrayList<>();
        lines.add(settings.hostname() + " Hello " + printable(name));
        lines.add("PIPELINING");
        lines.add("SIZE " + settings.maxMessageSize());
        lines.add("8BITMIME");
        lines.add("SMTPUTF8");
        lines.add("ENHANCEDSTATUSCODES");
        lines.add("DSN");
        if (starttlsOffered()) {
            lines.add("STARTTLS");
        }
        if (strategy.credentialsAllowed(tlsActive) && user == null) {
            lines.add("AUTH PLAIN LOGIN");
        }
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < lines.size(); i++) {
            text.append("250").append(i == lines.size() - 1 ? ' ' : '-').append(lines.get(i)).append("\r\n");
        }
        ctx.write(Unpooled.copiedBuffer(text, StandardCharsets.US_ASCII));
    }

    private boolean starttlsOffered() {
        return !tlsActive && (strategy.tlsMode() == TlsMode.STARTTLS_REQUIRED || strategy.tlsMode() == TlsMode.STARTTLS_OPPORTUNISTIC);
    }

    private void startTls(String argument) {
        if (!starttlsOffered()) {
            send(tlsActive ? "503 5.5.1 TLS is already active" : "502 5.5.1 STARTTLS is not offered on this port");
            return;
        }
        if (!argument.isBlank()) {
            send("501 5.5.4 Syntax: STARTTLS");
            return;
        }
        if (transaction != null) {
            send("503 5.5.1 STARTTLS is not allowed inside a mail transaction");
            return;
        }
        SSLEngine engine;
        try {
            engine = listener.serverEngine();
        } catch (TlsUnavailableException e) {
            send("454 4.7.0 TLS not available: " + e.getMessage());
            return;
        }
        // STARTTLS command injection (RFC 3207 section 4.2, CVE-2011-0411): whatever followed the
        // command in clear is dropped, never read as if it had come through TLS.
        inbound.skipBytes(inbound.readableBytes());
        sawCr = false;
        SslHandler tls = new SslHandler(engine, true);
        ctx.pipeline().addFirst("tls", tls);
        paused = true;
        awaitingHandshake = true;
        heloName = null;
        user = null;
        resetTransaction();
        tls.handshakeFuture().addListener(future -> {
            listener.tlsHandshake(future.isSuccess());
            if (future.isSuccess()) {
                tlsUp(tls);
            } else {
                ctx.close();
            }
        });
        ctx.writeAndFlush(reply("220 2.0.0 Ready to start TLS"));
    }

    private void tlsUp(SslHandler tls) {
        SSLSession session = tls.engine().getSession();
        tlsActive = true;
        awaitingHandshake = false;
        tlsDescription = session.getProtocol() + " with cipher " + session.getCipherSuite();
        // Anything read before the handshake ended is gone already; start clean.
        restartClock();
        resume();
    }

    // ---- AUTH (RFC 4954) ----

    private void auth(String argument) {
        if (!strategy.credentialsAllowed(tlsActive)) {
            if (strategy.authPolicy() == AuthPolicy.NONE) {
                send("503 5.5.1 Authentication is not enabled on this port");
            } else if (strategy.tlsMode().requiresTls()) {
                send("530 5.7.0 Must issue a STARTTLS command first");
            } else {
                send("538 5.7.11 Encryption required for requested authentication mechanism");
            }
            return;
        }
        if (heloName == null) {
            send("503 5.5.1 Send EHLO first");
            return;
        }
        if (user != null) {
            send("503 5.5.1 Already authenticated");
            return;
        }
        if (transaction != null) {
            send("503 5.5.1 AUTH is not allowed inside a mail transaction");
            return;
        }
        if (listener.authThrottle().blocked(client.getAddress())) {
            send(THROTTLED);
            return;
        }
        String[] parts = argument.trim().split(" +");
        String mechanism = parts[0].toUpperCase(Locale.ROOT);
        String initial = parts.length > 1 ? parts[1] : null;
        if (parts.length > 2) {
            send("501 5.5.4 Syntax: AUTH mechanism [initial-response]");
            return;
        }
        switch (mechanism) {
            case "PLAIN" -> {
                if (initial == null) {
                    phase = Phase.AUTH_PLAIN;
                    send("334 ");
                } else {
                    authPlainResponse(initial);
                }
            }
            case "LOGIN" -> {
                if (initial == null) {
                    phase = Phase.AUTH_LOGIN_USER;
                    send("334 VXNlcm5hbWU6");
                } else {
                    authLoginUser(initial);
                }
            }
            default -> send("504 5.5.4 Unrecognized authentication mechanism; use PLAIN or LOGIN");
        }
    }

    private void authPlainResponse(String response) {
        phase = Phase.COMMAND;
        byte[] decoded = decode(response);
        if (decoded == null) {
            return;
        }
        String text = new String(decoded, StandardCharsets.UTF_8);
        String[] fields = text.split("\0", -1);
        if (fields.length != 3 || fields[1].isEmpty()) {
            send("501 5.5.2 Malformed PLAIN response");
            return;
        }
        if (!fields[0].isEmpty() && !fields[0].equals(fields[1])) {
            // Acting for another identity is not something a listener grants.
            failedAuth(fields[1]);
            return;
        }
        verify(fields[1], fields[2].toCharArray());
    }

    private void authLoginUser(String response) {
        byte[] decoded = decode(response);
        if (decoded == null) {
            phase = Phase.COMMAND;
            return;
        }
        loginUser = new String(decoded, StandardCharsets.UTF_8);
        phase = Phase.AUTH_LOGIN_PASSWORD;
        send("334 UGFzc3dvcmQ6");
    }

    private void authLoginPassword(String response) {
        phase = Phase.COMMAND;
        byte[] decoded = decode(response);
        if (decoded == null) {
            return;
        }
        verify(loginUser, new String(decoded, StandardCharsets.UTF_8).toCharArray());
    }

    private byte[] decode(String response) {
        if (response.equals("*")) {
            send("501 5.0.0 Authentication cancelled");
            return null;
        }
        if (response.equals("=")) {
            return new byte[0];
        }
        try {
            return Base64.getDecoder().decode(response.trim());
        } catch (IllegalArgumentException e) {
            send("501 5.5.2 Cannot decode the response as base64");
            return null;
        }
    }

    private void abortAuthExchange() {
        if (phase == Phase.AUTH_PLAIN || phase == Phase.AUTH_LOGIN_USER || phase == Phase.AUTH_LOGIN_PASSWORD) {
            phase = Phase.COMMAND;
        }
    }

    private void verify(String name, char[] password) {
        if (listener.authThrottle().blocked(client.getAddress())) {
            // Blocked by another connection's failures while this exchange went on.
            java.util.Arrays.fill(password, '\0');
            send(THROTTLED);
            return;
        }
        pause();
        Authenticator authenticator = listener.authenticator();
        offload(() -> {
            boolean valid;
            try {
                valid = !name.isEmpty() && authenticator.authenticate(name, password);
            } catch (RuntimeException e) {
                LOG.warn("SMTP AUTH check failed for user {}: {}", printable(name), e.toString());
                valid = false;
            } finally {
                java.util.Arrays.fill(password, '\0');
            }
            boolean success = valid;
            onLoop(() -> {
                if (success) {
                    user = name;
                    send("235 2.7.0 Authentication successful");
                } else {
                    failedAuth(name);
                }
                resume();
            });
        });
    }

    /** Logged for the operator (and fail2ban): the user name, the client and the listener; never the password. */
    private void failedAuth(String name) {
        LOG.warn("SMTP AUTH failed on listener {} for user {} from {}", settings.name(), printable(name),
                client.getAddress().getHostAddress());
        listener.authThrottle().failed(client.getAddress());
        listener.authFailed();
        authFailures++;
        if (authFailures >= settings.maxAuthFailures()) {
            answer("535 5.7.8 Authentication credentials invalid");
            closeWith("421 4.7.0 " + settings.hostname() + " Too many failed authentication attempts");
        } else {
            send("535 5.7.8 Authentication credentials invalid");
        }
    }

    // ---- the transaction ----

    private void mail(String argument) {
        if (heloName == null) {
            send("503 5.5.1 Send HELO or EHLO first");
            return;
        }
        if (strategy.tlsMode().requiresTls() && !tlsActive) {
            send("530 5.7.0 Must issue a STARTTLS command first");
            return;
        }
        if (strategy.authPolicy() == AuthPolicy.REQUIRED && user == null) {
            send("530 5.7.0 Authentication required");
            return;
        }
        if (transaction != null) {
            send("503 5.5.1 Nested MAIL command");
            return;
        }
        if (listener.submission() == null) {
            send("451 4.3.0 Mail storage is unavailable; try again later");
            return;
        }
        PathArgument parsed;
        try {
            parsed = PathArgument.parse(argument, "FROM");
        } catch (PathArgument.SyntaxException e) {
            send("501 5.5.4 " + e.getMessage());
            return;
        }
        MailAddress sender = null;
        if (!parsed.path().isEmpty()) {
            try {
                sender = MailAddress.parse(parsed.path());
            } catch (IllegalArgumentException e) {
                send("553 5.1.7 Bad sender address syntax: " + e.getMessage());
                return;
            }
        }
        Envelope.Builder builder = Envelope.builder().from(sender);
        boolean smtpUtf8 = false;
        for (Map.Entry<String, String> parameter : parsed.parameters().entrySet()) {
            String value = parameter.getValue();
            try {
                switch (parameter.getKey()) {
                    case "SIZE" -> {
                        if (value.isEmpty() || !value.chars().allMatch(c -> c >= '0' && c <= '9')) {
                            throw new IllegalArgumentException("the size must be a number of octets");
                        }
                        if (value.length() > 18 || Long.parseLong(value) > settings.maxMessageSize()) {
                            send("552 5.3.4 Message size exceeds the limit of " + settings.maxMessageSize() + " octets");
                            return;
                        }
                    }
                    case "BODY" -> {
                        BodyType type = BodyType.ofKeyword(value);
                        if (type == BodyType.BINARY_MIME) {
                            send("555 5.5.4 BODY=BINARYMIME needs CHUNKING, which is not offered");
                            return;
                        }
                        builder.bodyType(type);
                    }
                    case "SMTPUTF8" -> {
                        if (!value.isEmpty()) {
                            throw new IllegalArgumentException("SMTPUTF8 takes no value");
                        }
                        smtpUtf8 = true;
                    }
                    case "RET" -> builder.dsnReturn(DsnReturn.valueOf(value.toUpperCase(Locale.ROOT)));
                    case "ENVID" -> {
                        if (value.length() > Envelope.MAX_ENVELOPE_ID) {
                            throw new IllegalArgumentException("longer than " + Envelope.MAX_ENVELOPE_ID + " characters");
                        }
                        builder.envelopeId(Xtext.decode(value));
                    }
                    case "AUTH" -> {
                        // RFC 4954 section 5: accepted; the identity it names is not trusted.
                    }
                    default -> {
                        send("555 5.5.4 Unsupported MAIL parameter " + printable(parameter.getKey()));
                        return;
                    }
                }
            } catch (IllegalArgumentException e) {
                send("501 5.5.4 Bad MAIL parameter " + printable(parameter.getKey()) + ": " + printable(e.getMessage()));
                return;
            }
        }
        if (sender != null && sender.requiresSmtpUtf8() && !smtpUtf8) {
            send("553 5.6.7 The sender address needs SMTPUTF8");
            return;
        }
        Set<String> senderDomains = settings.senderDomains().isEmpty() ? listener.localDomains() : settings.senderDomains();
        if (user != null && !settings.senderBinding().permits(user, sender, senderDomains)) {
            send("553 5.7.1 Sender address rejected: not owned by user " + printable(user));
            return;
        }
        if (user != null && settings.senderBinding().owns(user, sender, senderDomains)) {
            builder.authenticatedSender(sender);
        }
        transaction = builder;
        smtpUtf8Transaction = smtpUtf8;
        recipients = 0;
        send("250 2.1.0 Ok");
    }

    private void rcpt(String argument) {
        if (transaction == null) {
            send("503 5.5.1 Need MAIL before RCPT");
            return;
        }
        PathArgument parsed;
        try {
            parsed = PathArgument.parse(argument, "TO");
        } catch (PathArgument.SyntaxException e) {
            send("501 5.5.4 " + e.getMessage());
            return;
        }
        MailAddress address;
        try {
            address = parsed.path().equalsIgnoreCase("postmaster") ? localPostmaster() : MailAddress.parse(parsed.path());
        } catch (IllegalArgumentException e) {
            send("501 5.1.3 Bad recipient address syntax: " + e.getMessage());
            return;
        }
        if (address == null) {
            send("451 4.3.0 No local domain to deliver to postmaster; try again later");
            return;
        }
        if (address.requiresSmtpUtf8() && !smtpUtf8Transaction) {
            send("553 5.6.7 The recipient address needs SMTPUTF8");
            return;
        }
        Set<DsnNotify> notify = EnumSet.noneOf(DsnNotify.class);
        Optional<String> orcpt = Optional.empty();
        for (Map.Entry<String, String> parameter : parsed.parameters().entrySet()) {
            try {
                switch (parameter.getKey()) {
                    case "NOTIFY" -> {
                        for (String condition : parameter.getValue().split(",")) {
                            notify.add(DsnNotify.valueOf(condition.trim().toUpperCase(Locale.ROOT)));
                        }
                    }
                    case "ORCPT" -> orcpt = Optional.of(originalRecipient(parameter.getValue()));
                    default -> {
                        send("555 5.5.4 Unsupported RCPT parameter " + printable(parameter.getKey()));
                        return;
                    }
                }
            } catch (IllegalArgumentException e) {
                send("501 5.5.4 Bad RCPT parameter " + printable(parameter.getKey()) + ": " + printable(e.getMessage()));
                return;
            }
        }
        Recipient recipient;
        try {
            recipient = new Recipient(address, notify, orcpt);
        } catch (IllegalArgumentException e) {
            send("501 5.5.4 " + printable(e.getMessage()));
            return;
        }
        if (user == null && !listener.acceptsFromAnyone(address.normalizedDomain())) {
            send("554 5.7.1 <" + address + ">: Relay access denied");
            return;
        }
        if (recipients >= settings.maxRecipients()) {
            send("452 4.5.3 Too many recipients");
            return;
        }
        try {
            transaction.to(recipient);
            recipients++;
            if (firstRecipient == null) {
                firstRecipient = address.toString();
            }
        } catch (IllegalArgumentException duplicate) {
            // The same recipient twice is delivered once.
        }
        send("250 2.1.5 Ok");
    }

    /**
     * RFC 5321 section 4.5.1: {@code <postmaster>} without a domain must be accepted. It is the
     * postmaster of the listener's host name when that is a local domain, else of the first local
     * domain in alphabetical order.
     *
     * @return that address, or null while there is no local domain
     */
    private MailAddress localPostmaster() {
        Set<String> domains = listener.localDomains();
        String hostname = settings.hostname().toLowerCase(Locale.ROOT);
        Optional<String> domain = domains.contains(hostname) ? Optional.of(hostname) : domains.stream().sorted().findFirst();
        return domain.map(d -> MailAddress.parse("postmaster@" + d)).orElse(null);
    }

    /** ORCPT is {@code addr-type;xtext} (RFC 3461 section 4.2); the envelope keeps the address decoded. */
    private static String originalRecipient(String value) {
        int semicolon = value.indexOf(';');
        if (semicolon <= 0 || value.length() > Recipient.MAX_ORIGINAL_RECIPIENT) {
            throw new IllegalArgumentException("must be addr-type;address, at most " + Recipient.MAX_ORIGINAL_RECIPIENT + " characters");
        }
        String type = value.substring(0, semicolon);
        if (!type.chars().allMatch(c -> c < 127 && (Character.isLetterOrDigit(c) || c == '-'))) {
            throw new IllegalArgumentException("the address type must be an atom such as rfc822");
        }
        String address = Xtext.decode(value.substring(semicolon + 1));
        if (address.isBlank()) {
            throw new IllegalArgumentException("the original recipient address is empty");
        }
        return type + ";" + address;
    }

    private void data(String argument) {
        if (!argument.isBlank()) {
            send("501 5.5.4 Syntax: DATA");
            return;
        }
        if (transaction == null) {
            send("503 5.5.1 Need MAIL before DATA");
            return;
        }
        if (recipients == 0) {
            send("554 5.5.1 No valid recipients");
            return;
        }
        MailSubmission submission = listener.submission();
        if (submission == null) {
            send("451 4.3.0 Mail storage is unavailable; try again later");
            return;
        }
        Envelope envelope = transaction.build();
        byte[] received = receivedHeader(envelope).getBytes(StandardCharsets.UTF_8);
        // A spool that takes small messages without blocking is called from the loop: no worker step.
        boolean inline = submission.acceptsSmallMessagesWithoutBlocking() && work.isDone();
        pause();
        runBlockingStep(inline, () -> {
            MessageWriter opened = null;
            SubmissionException refused = null;
            try {
                opened = submission.begin(envelope);
                opened.write(received, 0, received.length);
            } catch (SubmissionException e) {
                refused = e;
                if (opened != null) {
                    opened.close();
                    opened = null;
                }
            } catch (RuntimeException e) {
                LOG.warn("SMTP session {}: the spool failed to open a message", id, e);
                refused = new SubmissionException(SubmissionException.Reason.UNAVAILABLE, "Mail storage failed", e);
            }
            MessageWriter ready = opened;
            SubmissionException failure = refused;
            backOnLoop(inline, () -> {
                if (failure != null) {
                    send(replyFor(failure));
                    resetTransaction();
                } else if (phase == Phase.CLOSED) {
                    offload(ready::close);
                } else {
                    writer = ready;
                    writerInline = inline;
                    handedOver = false;
                    writeFailure = null;
                    phase = Phase.DATA;
                    dataState = DataState.LINE_START;
                    // SIZE counts the client's octets only, not the Received header added here.
                    dataSize = 0;
                    holdLimit = MailSubmission.SMALL_MESSAGE - received.length;
                    dataBare = false;
                    dataTooLarge = false;
                    send("354 End data with <CR><LF>.<CR><LF>");
                    restartTimer();
                }
                resume();
            });
        });
    }

    private void writeChunk(byte[] chunk, int length) {
        if (heldLength + length <= holdLimit) {
            System.arraycopy(chunk, 0, heldWithRoom(length), heldLength, length);
            heldLength += length;
            return;
        }
        releaseHeld();
        handOver(chunk, length);
    }

    /** @return the held buffer, grown (at most to the hold limit) to take {@code more} octets after what it holds */
    private byte[] heldWithRoom(int more) {
        if (held.length < heldLength + more) {
            held = java.util.Arrays.copyOf(held, Math.min(holdLimit, Math.max(heldLength + more, 2 * held.length)));
        }
        return held;
    }

    /** Hands what is held to the writer, in order before anything written after it. */
    private void releaseHeld() {
        if (heldLength > 0) {
            handOver(held, heldLength);
        }
        held = new byte[0];
        heldLength = 0;
    }

    private void handOver(byte[] chunk, int length) {
        handedOver = true;
        MessageWriter target = writer;
        unwritten.addAndGet(length);
        offload(() -> {
            try {
                if (writeFailure == null) {
                    target.write(chunk, 0, length);
                }
            } catch (SubmissionException e) {
                writeFailure = e;
            } catch (RuntimeException e) {
                writeFailure = new SubmissionException(SubmissionException.Reason.UNAVAILABLE, "Mail storage failed", e);
            } finally {
                if (unwritten.addAndGet(-length) < HIGH_WATER) {
                    onLoop(this::updateAutoRead);
                }
            }
        });
    }

    private void endOfData() {
        byte[] rest = held;
        int restLength = heldLength;
        held = new byte[0];
        heldLength = 0;
        MessageWriter target = writer;
        writer = null;
        phase = Phase.COMMAND;
        restartTimer();
        boolean bare = dataBare;
        boolean tooLarge = dataTooLarge;
        // All of a small message is still here: written and committed from the loop, answered when durable.
        boolean inline = writerInline && !handedOver && work.isDone();
        pause();
        runBlockingStep(inline, () -> {
            String answer = null;
            boolean accepted = false;
            CompletionStage<SubmissionReceipt> commit = null;
            try {
                if (bare) {
                    answer = "550 5.6.0 Message refused: bare CR or LF found; lines must end with CRLF";
                } else if (tooLarge) {
                    answer = "552 5.3.4 Message size exceeds the limit of " + settings.maxMessageSize() + " octets";
                } else if (writeFailure != null) {
                    answer = replyFor(writeFailure);
                } else {
                    target.write(rest, 0, restLength);
                    if (inline) {
                        commit = target.commitAsync(listener.blocking());
                    } else {
                        SubmissionReceipt receipt = target.commit();
                        answer = "250 2.0.0 Ok: queued as " + receipt.id();
                        accepted = true;
                    }
                }
            } catch (SubmissionException e) {
                answer = replyFor(e);
            } catch (RuntimeException e) {
                LOG.warn("SMTP session {}: the spool failed to commit a message", id, e);
                answer = "451 4.3.0 Mail storage failed; try again later";
            } finally {
                if (commit == null) {
                    target.close();
                }
            }
            if (commit != null) {
                commit.whenComplete((receipt, error) -> {
                    target.close();
                    String reply = error == null ? "250 2.0.0 Ok: queued as " + receipt.id() : replyForCommit(error);
                    onLoop(() -> answerData(reply, error == null));
                });
                return;
            }
            String reply = answer;
            boolean counted = accepted;
            backOnLoop(inline, () -> answerData(reply, counted));
        });
    }

    private String replyForCommit(Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (cause instanceof SubmissionException e) {
            return replyFor(e);
        }
        LOG.warn("SMTP session {}: the spool failed to commit a message", id, cause);
        return "451 4.3.0 Mail storage failed; try again later";
    }

    /** The verdict on a message, on the loop. */
    private void answerData(String reply, boolean accepted) {
        if (accepted) {
            listener.messageAccepted();
            errors = 0;
            junkCommands = 0;
        }
        resetTransaction();
        // The verdict on a message is not a protocol error of the client's.
        answer(reply);
        resume();
        closeIfIdleAndShuttingDown();
    }

    private void discardMessage() {
        held = new byte[0];
        heldLength = 0;
        MessageWriter target = writer;
        writer = null;
        if (target != null) {
            offload(target::close);
        }
    }

    private void resetTransaction() {
        transaction = null;
        smtpUtf8Transaction = false;
        recipients = 0;
        firstRecipient = null;
    }

    private String receivedHeader(Envelope envelope) {
        boolean tls = tlsActive;
        boolean auth = user != null;
        String protocol = "ESMTP" + (tls ? "S" : "") + (auth ? "A" : "");
        String address = client.getAddress().getHostAddress();
        StringBuilder header = new StringBuilder("Received: from ").append(printable(heloName))
                .append(" ([").append(address).append("])\r\n")
                .append("\tby ").append(settings.hostname()).append(" (Mailslot) with ").append(protocol)
                .append(" id ").append(id).append("\r\n");
        if (tls || auth) {
            header.append('\t');
            if (tls) {
                header.append("(using ").append(tlsDescription).append(')');
            }
            if (auth) {
                header.append(tls ? " " : "").append("(authenticated user ").append(commentSafe(user)).append(')');
            }
            header.append("\r\n");
        }
        if (envelope.recipients().size() == 1) {
            header.append("\tfor <").append(firstRecipient).append(">;");
        } else {
            header.append('\t').append(';');
        }
        header.append(' ').append(DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now())).append("\r\n");
        return header.toString();
    }

    // ---- plumbing ----

    /**
     * The reply for a refusal. A temporary one is the spool's trouble, and its message may name
     * files and system errors: clients get a fixed text, the log gets the detail.
     */
    private String replyFor(SubmissionException e) {
        SubmissionException.Reason reason = e.reason();
        String text = switch (reason) {
            case STORAGE_FULL -> "Insufficient system storage; try again later";
            case UNAVAILABLE -> "Mail storage failed; try again later";
            default -> printable(e.getMessage());
        };
        if (reason.isTemporary()) {
            LOG.warn("SMTP session {} from {}: {} ({})", id, client, e.getMessage(), reason);
        }
        return reason.replyCode() + " " + reason.enhancedCode() + " " + text;
    }

    /**
     * Answers a command. A 4xx or 5xx answer counts as an error of the client's; at
     * {@code max.errors} (Postfix's smtpd_hard_error_limit) the session ends with 421.
     */
    private void send(String text) {
        answer(text);
        char code = text.charAt(0);
        if (code == '4' || code == '5') {
            countError();
        }
    }

    /** Answers a command that achieves nothing; beyond {@code max.junk.commands} each counts as an error. */
    private void junk(String text) {
        answer(text);
        if (++junkCommands > settings.maxJunkCommands()) {
            countError();
        }
    }

    private void countError() {
        if (phase != Phase.CLOSED && ++errors >= settings.maxErrors()) {
            closeWith("421 4.7.0 " + settings.hostname() + " Error: too many errors");
        }
    }

    private void answer(String text) {
        if (phase != Phase.CLOSED || text.startsWith("221") || text.startsWith("421")) {
            listener.replied(text);
            ctx.write(reply(text));
        }
    }

    private static ByteBuf reply(String text) {
        return Unpooled.copiedBuffer(text + "\r\n", StandardCharsets.UTF_8);
    }

    private void closeWith(String text) {
        if (phase == Phase.CLOSED) {
            return;
        }
        phase = Phase.CLOSED;
        listener.replied(text);
        ctx.writeAndFlush(reply(text)).addListener(ChannelFutureListener.CLOSE);
        // A client that reads nothing would keep the write, and with it the connection, forever.
        ctx.executor().schedule(() -> ctx.channel().close(), CLOSE_GRACE_SECONDS, TimeUnit.SECONDS);
    }

    private void closeIfIdleAndShuttingDown() {
        if (shutdownRequested && phase != Phase.CLOSED && phase != Phase.DATA && transaction == null && !paused) {
            closeWith("421 4.3.2 " + settings.hostname() + " Service shutting down");
        }
    }

    private void pause() {
        paused = true;
        updateAutoRead();
    }

    private void resume() {
        paused = false;
        if (phase != Phase.CLOSED && ctx.channel().isActive()) {
            drain();
        }
    }

    private void updateAutoRead() {
        boolean wanted = phase != Phase.CLOSED && unwritten.get() < HIGH_WATER
                && (awaitingHandshake || !paused && ctx.channel().isWritable());
        if (ctx.channel().config().isAutoRead() != wanted) {
            ctx.channel().config().setAutoRead(wanted);
        }
    }

    /** Runs a step of the spool's here on the loop if it does not block, else on the worker pool. */
    private void runBlockingStep(boolean inline, Runnable step) {
        if (inline) {
            step.run();
        } else {
            offload(step);
        }
    }

    /** Continues on the loop: at once when already there. */
    private void backOnLoop(boolean inline, Runnable task) {
        if (inline) {
            task.run();
        } else {
            onLoop(task);
        }
    }

    /** Runs a blocking step on the worker pool, after every step this session queued before. */
    private void offload(Runnable task) {
        work = work.thenRunAsync(task, listener.blocking()).exceptionally(e -> {
            LOG.warn("SMTP session {}: {}", id, e.toString());
            return null;
        });
    }

    private void onLoop(Runnable task) {
        ctx.executor().execute(task);
    }

    /**
     * @return the client's time from the start of the clock: a command line's, or in DATA the
     *     floor; the stress values while the listener is under connection pressure
     */
    private long timeLimit() {
        boolean stress = listener.underStress();
        if (phase == Phase.DATA) {
            return (stress ? settings.stressDataTimeout() : settings.dataTimeout()).toNanos();
        }
        return (stress ? settings.stressCommandTimeout() : settings.commandTimeout()).toNanos();
    }

    /** @return when the client's time runs out: in DATA, the floor plus what the octets since earned */
    private long deadline() {
        long deadline = clockStart + timeLimit();
        if (phase == Phase.DATA) {
            deadline += (long) ((dataSize - dataSizeAtStart) * settings.nanosPerDataOctet());
        }
        return deadline;
    }

    private void restartClock() {
        clockStart = System.nanoTime();
        dataSizeAtStart = dataSize;
    }

    /** The phase changed, and with it the time that applies. */
    private void restartTimer() {
        restartClock();
        scheduleTimeout(timeLimit());
    }

    private void scheduleTimeout(long nanos) {
        if (timer != null) {
            timer.cancel(false);
        }
        timer = ctx.executor().schedule(this::checkTimeout, nanos, TimeUnit.NANOSECONDS);
    }

    /** The listener came under stress: the shorter times apply now, to this session too. */
    void pressureRose() {
        onLoop(this::checkTimeout);
    }

    private void checkTimeout() {
        if (phase == Phase.CLOSED) {
            return;
        }
        if (paused && !awaitingHandshake || unwritten.get() > 0) {
            // Waiting on us, not on the client. A TLS handshake is the client's to complete.
            restartTimer();
            return;
        }
        long left = deadline() - System.nanoTime();
        if (left <= 0) {
            discardMessage();
            closeWith("421 4.4.2 " + settings.hostname() + " Error: timeout exceeded");
        } else {
            scheduleTimeout(left);
        }
    }

    /** @return the text with anything outside printable ASCII replaced, for replies */
    private static String printable(String text) {
        return restrict(text, "");
    }

    /** @return the text fit for a header comment: printable ASCII without parentheses or backslashes */
    private static String commentSafe(String text) {
        return restrict(text, "()\\");
    }

    private static String restrict(String text, String forbidden) {
        if (text == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(Math.min(text.length(), 200));
        for (int i = 0; i < text.length() && i < 200; i++) {
            char c = text.charAt(i);
            out.append(c >= 32 && c < 127 && forbidden.indexOf(c) < 0 ? c : '?');
        }
        return out.toString();
    }
}
