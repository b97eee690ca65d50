package org.mailslot.smtp.internal;

import java.net.InetSocketAddress;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;

import org.mailslot.api.port.PortStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.handler.ssl.SslHandler;

/**
 * The netty side of one SMTP connection: keeps what the client sent, frames it (command lines by
 * the {@link CommandLineFramer}, message text by the session's {@link IncomingMessage}) and
 * forwards it to the {@link SmtpSession}; writes the session's replies; reads only while the
 * session can take input, the client reads its replies and the storage keeps up; and puts TLS in
 * front of the connection, for implicit TLS and for STARTTLS alike.
 */
final class SmtpChannelHandler extends ChannelInboundHandlerAdapter implements SessionChannel {

    private static final Logger LOG = LoggerFactory.getLogger(SmtpChannelHandler.class);

    /** How long a last reply (421, 221) may wait for a client that does not read before the connection goes. */
    private static final long CLOSE_GRACE_SECONDS = 10;

    private final SmtpSession session;
    private final String refusal;
    private final SSLEngine implicitTls;
    private final CommandLineFramer framer;
    // Set once in handlerAdded; read by the listener's close from another thread.
    private volatile ChannelHandlerContext ctx;
    private ByteBuf inbound;
    private boolean paused;
    /** Paused for a TLS handshake: processing waits, but reading goes on so the handshake can. */
    private boolean awaitingHandshake;

    /**
     * @param refusal the 421 to close with at once, or null to serve
     * @param implicitTls the engine for TLS from the first octet, or null
     */
    SmtpChannelHandler(Listener listener, PortStrategy strategy, InetSocketAddress client, String refusal, SSLEngine implicitTls) {
        this.session = new SmtpSession(listener, strategy, client, this);
        this.refusal = refusal;
        this.implicitTls = implicitTls;
        this.framer = new CommandLineFramer(listener.settings().maxLineLength());
    }

    // ---- netty events ----

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        // On the heap: the DATA scan reads its array.
        this.inbound = Unpooled.buffer(1024);
        if (implicitTls != null) {
            secure(implicitTls, false);
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        session.greet(refusal);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf buffer = (ByteBuf) msg;
        try {
            if (!session.isClosed()) {
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
        if (ctx.channel().isWritable() && !paused && !session.isClosed()) {
            drain();
        } else {
            updateAutoRead();
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        session.closed();
        inbound.release();
        inbound = Unpooled.EMPTY_BUFFER;
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("SMTP session {} from {}: {}", session.id(), session.client(), cause.toString());
        ctx.close();
    }

    // ---- for the listener, from any thread ----

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
        onLoop(session::shutdown);
    }

    /** The listener came under stress: the shorter times apply now, to this session too. */
    void pressureRose() {
        onLoop(session::pressureRose);
    }

    void forceClose() {
        ctx.channel().close();
    }

    // ---- input ----

    private void drain() {
        while (!paused && !session.isClosed() && inbound.isReadable() && (session.inData() || ctx.channel().isWritable())) {
            IncomingMessage message = session.message();
            if (message != null) {
                // Message text is scanned where it lies (a heap buffer: see handlerAdded).
                int base = inbound.arrayOffset();
                int taken = message.receive(inbound.array(), base + inbound.readerIndex(), base + inbound.writerIndex());
                inbound.readerIndex(taken - base);
                if (message.ended()) {
                    session.endOfData();
                }
            } else {
                int base = inbound.arrayOffset();
                int taken = framer.frame(inbound.array(), base + inbound.readerIndex(), base + inbound.writerIndex());
                inbound.readerIndex(taken - base);
                if (framer.complete()) {
                    session.line(framer);
                    framer.next();
                }
            }
        }
        inbound.discardReadBytes();
        updateAutoRead();
        ctx.flush();
    }

    // ---- the session's channel, on the loop ----

    /** Writes a reply; it goes out with the next flush. */
    @Override
    public void reply(String text) {
        ctx.write(encode(text));
    }

    /** Writes a reply and flushes it. */
    @Override
    public void flushReply(String text) {
        ctx.writeAndFlush(encode(text));
    }

    /** Writes a last reply and closes once it is out, or after a grace period if the client does not read it. */
    @Override
    public void closeAfter(String text) {
        ChannelFuture written = ctx.writeAndFlush(encode(text)).addListener(ChannelFutureListener.CLOSE);
        if (!written.isDone()) {
            // A client that reads nothing would keep the write, and with it the connection, forever.
            Future<?> grace = ctx.executor().schedule(() -> ctx.channel().close(), CLOSE_GRACE_SECONDS, TimeUnit.SECONDS);
            ctx.channel().closeFuture().addListener(closed -> grace.cancel(false));
        }
    }

    /**
     * Answers STARTTLS with {@code reply}, in clear, and puts TLS in front. STARTTLS command
     * injection (RFC 3207 section 4.2, CVE-2011-0411): whatever followed the command in clear is
     * dropped, never read as if it had come through TLS.
     */
    @Override
    public void startTls(SSLEngine engine, String reply) {
        inbound.skipBytes(inbound.readableBytes());
        framer.discard();
        secure(engine, true);
        flushReply(reply);
    }

    /**
     * TLS in front of the connection: processing waits until the handshake is done, then the
     * session hears that TLS is up; a failed handshake closes the connection.
     *
     * @param startTls whether the first write (the 220 to STARTTLS) still goes out in clear
     */
    private void secure(SSLEngine engine, boolean startTls) {
        SslHandler tls = new SslHandler(engine, startTls);
        ctx.pipeline().addFirst("tls", tls);
        paused = true;
        awaitingHandshake = true;
        tls.handshakeFuture().addListener(future -> {
            session.listener().tlsHandshake(future.isSuccess());
            if (future.isSuccess()) {
                SSLSession established = tls.engine().getSession();
                awaitingHandshake = false;
                session.tlsUp(established.getProtocol() + " with cipher " + established.getCipherSuite());
            } else {
                ctx.close();
            }
        });
    }

    /** Stops processing input (a step of the session's is pending) and reading. */
    @Override
    public void pause() {
        paused = true;
        updateAutoRead();
    }

    /** Processes input again, what is kept first. */
    @Override
    public void resume() {
        paused = false;
        if (!session.isClosed() && ctx.channel().isActive()) {
            drain();
        }
    }

    @Override
    public boolean paused() {
        return paused;
    }

    @Override
    public boolean awaitingHandshake() {
        return awaitingHandshake;
    }

    /** Reads while the session takes input, the client reads its replies and the storage keeps up; always during a handshake. */
    @Override
    public void updateAutoRead() {
        boolean wanted = !session.isClosed() && !session.storageBehind()
                && (awaitingHandshake || !paused && ctx.channel().isWritable());
        if (ctx.channel().config().isAutoRead() != wanted) {
            ctx.channel().config().setAutoRead(wanted);
        }
    }

    @Override
    public void onLoop(Runnable task) {
        ctx.executor().execute(task);
    }

    @Override
    public Future<?> schedule(Runnable task, long nanos) {
        return ctx.executor().schedule(task, nanos, TimeUnit.NANOSECONDS);
    }

    /** @return the reply line in a buffer of the channel's allocator (direct: the socket takes it without a copy) */
    private ByteBuf encode(String text) {
        ByteBuf line = ctx.alloc().buffer(ByteBufUtil.utf8MaxBytes(text) + 2);
        ByteBufUtil.writeUtf8(line, text);
        return line.writeByte('\r').writeByte('\n');
    }
}
