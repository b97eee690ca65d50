package org.mailslot.smtp.internal;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import java.util.stream.Stream;

import javax.net.ssl.SSLEngine;

import org.mailslot.api.listener.ListenerState;
import org.mailslot.api.listener.ListenerCounters;
import org.mailslot.api.listener.ListenerStatus;
import org.mailslot.api.port.PortStrategy;
import org.mailslot.api.port.TlsMode;
import org.mailslot.api.auth.SenderAuthenticator;
import org.mailslot.api.submission.MailSubmission;
import org.mailslot.api.tls.TlsService;
import org.mailslot.api.tls.TlsUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;

/**
 * One SMTP listener: a server socket governed by the port strategy of its strategy port, and the
 * sessions it accepted. Binds when its strategy first appears; while the strategy is missing
 * afterwards (mailslot-transport being updated) it stays bound and answers new connections with
 * 421, so clients retry instead of finding the port closed.
 *
 * <p>Thread-safe. {@link #strategy} and {@link #close} are called by the component; sessions call
 * the rest from their event loops.
 */
final class Listener {

    private static final Logger LOG = LoggerFactory.getLogger(Listener.class);

    private final Settings settings;
    private final TlsService tls;
    private final Authenticator authenticator;
    private final Supplier<MailSubmission> submission;
    private final IoTransport transport;
    private final EventLoopGroup loops;
    private final ExecutorService blocking;
    private final Set<SmtpChannelHandler> sessions = ConcurrentHashMap.newKeySet();
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicBoolean stressed = new AtomicBoolean();
    private final Map<InetAddress, AtomicInteger> perClient = new ConcurrentHashMap<>();
    private final AtomicLong accepted = new AtomicLong();
    private final LongAdder authFailures = new LongAdder();
    private final LongAdder tlsHandshakes = new LongAdder();
    private final LongAdder tlsHandshakeFailures = new LongAdder();
    /** Replies 400 to 599, by code minus 400. */
    private final LongAdder[] refusals = Stream.generate(LongAdder::new).limit(200).toArray(LongAdder[]::new);
    private final AuthThrottle authThrottle;
    private final Set<String> warnedDomains = ConcurrentHashMap.newKeySet();
    private final Object lock = new Object();

    private volatile PortStrategy strategy;
    private volatile SenderAuthenticator senderAuthenticator;
    private volatile ListenerState state = ListenerState.WAITING;
    private volatile String detail;
    private volatile int boundPort;
    // Guarded by lock.
    private Channel server;
    private boolean closed;

    Listener(Settings settings, TlsService tls, Authenticator authenticator, AuthThrottle authThrottle,
            Supplier<MailSubmission> submission) {
        this.settings = settings;
        this.tls = tls;
        this.authenticator = authenticator;
        this.submission = submission;
        this.authThrottle = authThrottle;
        this.detail = waitingDetail();
        this.boundPort = settings.port();
        String prefix = "mailslot-smtp-" + settings.name();
        // One group accepts and serves: with one loop, a connection starts on the thread that accepted it.
        this.transport = IoTransport.available();
        this.loops = new MultiThreadIoEventLoopGroup(settings.ioThreads(), new DefaultThreadFactory(prefix + "-io", true),
                transport.handlers());
        ThreadPoolExecutor pool = new ThreadPoolExecutor(settings.workerThreads(), settings.workerThreads(), 30, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), new DefaultThreadFactory(prefix + "-worker", true));
        pool.allowCoreThreadTimeOut(true);
        this.blocking = pool;
    }

    /**
     * The strategy in force for the strategy port changed: binds when one appears; when it goes
     * away, new connections get 421 until one is back (sessions already open keep theirs).
     */
    void strategy(Optional<PortStrategy> next) {
        synchronized (lock) {
            if (closed) {
                return;
            }
            strategy = next.orElse(null);
            if (strategy == null) {
                state = ListenerState.WAITING;
                detail = waitingDetail();
                LOG.info("SMTP listener {} waits: {}", settings.name(), detail);
            } else if (server == null) {
                bind();
            } else {
                state = ListenerState.BOUND;
                detail = "";
                LOG.info("SMTP listener {} serves again with strategy {}", settings.name(), strategy);
            }
        }
    }

    private void bind() {
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(loops)
                .channel(transport.serverChannel())
                .option(ChannelOption.SO_BACKLOG, 256)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        accept(channel);
                    }
                });
        try {
            ChannelFuture future = bootstrap.bind(new InetSocketAddress(settings.address(), settings.port()));
            if (!future.awaitUninterruptibly(30, TimeUnit.SECONDS) || !future.isSuccess()) {
                Throwable cause = future.cause();
                future.channel().close();
                throw new IllegalStateException(cause == null ? "bind timed out" : cause.toString(), cause);
            }
            server = future.channel();
            boundPort = ((InetSocketAddress) server.localAddress()).getPort();
            state = ListenerState.BOUND;
            detail = "";
            LOG.info("SMTP listener {} bound to {}:{} with strategy {} ({}{})", settings.name(), settings.address(), boundPort,
                    strategy, transport, transport == IoTransport.EPOLL ? "" : ": " + IoTransport.whyNotEpoll());
        } catch (RuntimeException e) {
            state = ListenerState.FAILED;
            detail = "cannot listen on " + settings.address() + ":" + settings.port() + ": " + e.getMessage();
            LOG.error("SMTP listener {}: {}", settings.name(), detail);
        }
    }

    private void unbind() {
        if (server != null) {
            server.close().awaitUninterruptibly(10, TimeUnit.SECONDS);
            server = null;
        }
    }

    private void accept(SocketChannel channel) {
        PortStrategy current = strategy;
        if (current == null) {
            // Never serve without the port's rules; answer so that the client retries later.
            channel.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                @Override
                public void channelActive(ChannelHandlerContext context) {
                    context.writeAndFlush(Unpooled.copiedBuffer("421 4.3.2 " + settings.hostname()
                            + " Service not available, try again later\r\n", StandardCharsets.US_ASCII))
                            .addListener(ChannelFutureListener.CLOSE);
                }
            });
            return;
        }
        InetAddress client = channel.remoteAddress().getAddress();
        int total = connections.incrementAndGet();
        int fromClient = perClient.computeIfAbsent(client, key -> new AtomicInteger()).incrementAndGet();
        channel.closeFuture().addListener(future -> {
            if (connections.decrementAndGet() < settings.stressConnections() && stressed.compareAndSet(true, false)) {
                LOG.info("SMTP listener {}: {} connections, below the stress threshold again; normal timeouts apply",
                        settings.name(), connections.get());
            }
            perClient.computeIfPresent(client, (key, count) -> count.decrementAndGet() <= 0 ? null : count);
        });
        if (total >= settings.stressConnections() && stressed.compareAndSet(false, true)) {
            LOG.warn("SMTP listener {}: {} of at most {} connections open; stress timeouts apply ({} s per command, {} s"
                    + " for a message before its size allowance)", settings.name(), total, settings.maxConnections(),
                    settings.stressCommandTimeout().toSeconds(), settings.stressDataTimeout().toSeconds());
            sessions.forEach(SmtpChannelHandler::pressureRose);
        }
        String refusal = null;
        if (total > settings.maxConnections()) {
            refusal = "421 4.7.0 " + settings.hostname() + " Too many connections, try again later";
        } else if (fromClient > settings.maxConnectionsPerClient()) {
            refusal = "421 4.7.0 " + settings.hostname() + " Too many connections from your address, try again later";
        }
        SSLEngine implicitTls = null;
        if (current.tlsMode() == TlsMode.IMPLICIT) {
            try {
                implicitTls = tls.serverEngine();
            } catch (TlsUnavailableException e) {
                // Fail closed: an implicit-TLS port never speaks in clear.
                LOG.warn("SMTP listener {}: refusing a connection, TLS is unavailable: {}", settings.name(), e.getMessage());
                channel.close();
                return;
            }
        }
        SmtpChannelHandler session = new SmtpChannelHandler(this, current, channel.remoteAddress(), refusal, implicitTls);
        channel.pipeline().addLast("smtp", session);
        // Only now, with its context set, may close() reach the session.
        sessions.add(session);
        channel.closeFuture().addListener(future -> sessions.remove(session));
    }

    /**
     * Stops accepting, answers 421 4.3.2 to idle sessions, lets transactions in flight finish
     * within the grace period, then closes what is left. Blocks for at most the grace period and
     * a few seconds.
     */
    void close() {
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            state = ListenerState.CLOSING;
            detail = "closing";
            unbind();
        }
        sessions.forEach(SmtpChannelHandler::shutdown);
        long deadline = System.nanoTime() + settings.shutdownGrace().toNanos();
        for (SmtpChannelHandler session : Set.copyOf(sessions)) {
            long left = deadline - System.nanoTime();
            if (left <= 0 || !session.closeFuture().awaitUninterruptibly(left, TimeUnit.NANOSECONDS)) {
                break;
            }
        }
        sessions.forEach(SmtpChannelHandler::forceClose);
        blocking.shutdown();
        loops.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        try {
            blocking.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LOG.info("SMTP listener {} closed", settings.name());
    }

    ListenerStatus status() {
        PortStrategy current = strategy;
        ListenerState now = state;
        String shown = detail;
        if (now == ListenerState.BOUND && shown.isEmpty() && senderAuthenticator == null && sendersMustBeChecked()) {
            shown = "no sender checks (is mailslot-auth started and configured?): mail from clients that did not log in"
                    + " gets 451 4.7.1";
        }
        return new ListenerStatus(settings.name(), settings.address(), boundPort, settings.strategyPort(),
                Optional.ofNullable(current).map(PortStrategy::tlsMode), now, shown, connections.get(), accepted.get());
    }

    /** @return whether mail from clients that did not log in must be checked on this listener, by its role now */
    boolean sendersMustBeChecked() {
        PortStrategy current = strategy;
        return current != null && settings.senderChecks().required(current.role());
    }

    private String waitingDetail() {
        return "waiting for a port strategy for port " + settings.strategyPort() + " (is mailslot-transport started?)";
    }

    Settings settings() {
        return settings;
    }

    /** @return whether so many connections are open that sessions get the stress timeouts */
    boolean underStress() {
        return connections.get() >= settings.stressConnections();
    }

    int boundPort() {
        return boundPort;
    }

    Authenticator authenticator() {
        return authenticator;
    }

    AuthThrottle authThrottle() {
        return authThrottle;
    }

    /** @return octets of replies the sessions hold in memory because their clients do not read them */
    long queuedOutput() {
        return sessions.stream().mapToLong(SmtpChannelHandler::queuedOutput).sum();
    }

    /**
     * @return the domains clients that have not authenticated may send to: the configured ones, or
     *     else the spool's local domains (none while no spool is registered: relaying is refused)
     */
    Set<String> localDomains() {
        if (!settings.localDomains().isEmpty()) {
            return settings.localDomains();
        }
        MailSubmission current = submission.get();
        return current == null ? Set.of() : current.localDomains();
    }

    /** @return whether a client that has not authenticated may send to the domain */
    boolean acceptsFromAnyone(String domain) {
        if (!localDomains().contains(domain)) {
            return false;
        }
        MailSubmission current = submission.get();
        if (current != null && !current.localDomains().contains(domain) && warnedDomains.add(domain)) {
            // Configured here but not local to the spool: such mail is relayed onwards, from anyone.
            LOG.warn("SMTP listener {} accepts mail for {} from anyone, but the delivery (org.mailslot.delivery local.domains)"
                    + " does not deliver {} locally: that mail goes to its route or MX. List it in both, or in neither.",
                    settings.name(), domain, domain);
        }
        return true;
    }

    /** @return the sender checks (mailslot-auth), or null while none is registered: then listeners that must check refuse */
    SenderAuthenticator senderAuthenticator() {
        return senderAuthenticator;
    }

    /** @param checks the sender checks now registered, or null when they went away */
    void senderAuthenticator(SenderAuthenticator checks) {
        senderAuthenticator = checks;
    }

    /** @return the submission service, or null while none is registered */
    MailSubmission submission() {
        return submission.get();
    }

    ExecutorService blocking() {
        return blocking;
    }

    SSLEngine serverEngine() throws TlsUnavailableException {
        return tls.serverEngine();
    }

    void messageAccepted() {
        accepted.incrementAndGet();
    }

    void authFailed() {
        authFailures.increment();
    }

    void tlsHandshake(boolean completed) {
        (completed ? tlsHandshakes : tlsHandshakeFailures).increment();
    }

    /** Counts a reply that refuses (4xx, 5xx); other replies pass. */
    void replied(String reply) {
        if (reply.length() >= 3 && (reply.charAt(0) == '4' || reply.charAt(0) == '5')
                && Character.isDigit(reply.charAt(1)) && Character.isDigit(reply.charAt(2))) {
            refusals[(reply.charAt(0) - '4') * 100 + (reply.charAt(1) - '0') * 10 + (reply.charAt(2) - '0')].increment();
        }
    }

    ListenerCounters counters() {
        Map<Integer, Long> sent = new TreeMap<>();
        for (int i = 0; i < refusals.length; i++) {
            long count = refusals[i].sum();
            if (count > 0) {
                sent.put(400 + i, count);
            }
        }
        return new ListenerCounters(settings.name(), authFailures.sum(), tlsHandshakes.sum(), tlsHandshakeFailures.sum(), sent);
    }
}
