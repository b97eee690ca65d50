package org.mailslot.retrieval.internal;

import java.util.Properties;
import java.util.concurrent.ScheduledExecutorService;

import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.URLName;

import org.eclipse.angus.mail.pop3.POP3Store;
import org.mailslot.api.port.PortStrategy;
import org.mailslot.api.port.PortStrategyTable;
import org.mailslot.api.port.TlsMode;
import org.mailslot.api.tls.TlsService;
import org.mailslot.support.tls.LayeringSocketFactory;
import org.mailslot.support.tls.UnconnectedSocketFactory;

/**
 * Opens an account's store with Angus, one {@link Session} per connection (never the JVM-wide
 * default), the store class chosen explicitly by the port's strategy (no provider lookup, which
 * inside OSGi would need the thread context class loader): implicit TLS from the first byte, or
 * STARTTLS/STLS required. A port without a strategy is treated as STARTTLS required; a strategy
 * without TLS is refused, since the password is never sent in clear; opportunistic STARTTLS is
 * required here for the same reason.
 */
final class Connector {

    private static final UnconnectedSocketFactory PLAIN_SOCKETS = new UnconnectedSocketFactory("Mailslot's retrieval");

    private final TlsService tls;
    private final PortStrategyTable strategies;
    private final ScheduledExecutorService writeTimeouts;

    /** @param writeTimeouts times each write (Angus would start a thread per socket for it otherwise) */
    Connector(TlsService tls, PortStrategyTable strategies, ScheduledExecutorService writeTimeouts) {
        this.writeTimeouts = writeTimeouts;
        this.tls = tls;
        this.strategies = strategies;
    }

    /** The port's TLS, as retrieval applies it. */
    TlsMode tlsMode(AccountSettings settings) throws MessagingException {
        TlsMode mode = strategies.forPort(settings.port()).map(PortStrategy::tlsMode).orElse(TlsMode.STARTTLS_REQUIRED);
        if (mode == TlsMode.NONE) {
            throw new AccountProblem("the strategy of port " + settings.port() + " says TLS none; the password is"
                    + " never sent in clear, so account " + settings.name() + " is not connected");
        }
        return mode == TlsMode.IMPLICIT ? TlsMode.IMPLICIT : TlsMode.STARTTLS_REQUIRED;
    }

    /** A connected, TLS-protected, logged-in store. */
    record Opened(Store store, LayeringSocketFactory sockets, TlsMode mode) {
    }

    Opened open(AccountSettings settings) throws MessagingException {
        TlsMode mode = tlsMode(settings);
        boolean implicit = mode == TlsMode.IMPLICIT;
        String protocol = settings.protocol().configName() + (implicit ? "s" : "");
        String prefix = "mail." + protocol;
        LayeringSocketFactory sockets = new LayeringSocketFactory(tls, settings.host(), settings.verification(), true);

        Properties props = new Properties();
        props.setProperty(prefix + ".connectiontimeout", Long.toString(settings.connectTimeout().toMillis()));
        props.setProperty(prefix + ".timeout", Long.toString(settings.readTimeout().toMillis()));
        props.setProperty(prefix + ".writetimeout", Long.toString(settings.readTimeout().toMillis()));
        props.put(prefix + ".executor.writetimeout", writeTimeouts);
        props.put(prefix + ".socketFactory", PLAIN_SOCKETS);
        props.put(prefix + ".ssl.socketFactory", sockets);
        props.setProperty(prefix + ".socketFactory.fallback", "false");
        // The TLS service verifies (chain, and with FULL the host name).
        props.setProperty(prefix + ".ssl.checkserveridentity", "false");
        props.setProperty(prefix + ".starttls.enable", Boolean.toString(!implicit));
        props.setProperty(prefix + ".starttls.required", Boolean.toString(!implicit));
        // IMAP: the raw octets are fetched by the sync itself; Angus's own fetches peek too.
        props.setProperty(prefix + ".peek", "true");
        props.setProperty(prefix + ".connectionpoolsize", "4");
        props.setProperty(prefix + ".auth.plain.disable", "false");
        // POP3: stream RETR to the caller, no caching, no TOP.
        props.setProperty(prefix + ".disabletop", "true");
        props.setProperty(prefix + ".keepmessagecontent", "false");
        props.setProperty(prefix + ".cachewriteto", "false");
        props.setProperty(prefix + ".rsetbeforequit", "true");
        Session session = Session.getInstance(props);

        URLName url = new URLName(protocol, null, -1, null, null, null);
        Store store = switch (settings.protocol()) {
            case IMAP -> new GuardedImapStore(session, implicit, true);
            case POP3 -> new POP3Store(session, url, protocol, implicit);
        };
        try {
            store.connect(settings.host(), settings.port(), settings.username(), settings.password());
        } catch (MessagingException | RuntimeException e) {
            closeQuietly(store);
            throw e;
        }
        if (!isSsl(store)) {
            closeQuietly(store);
            throw new MessagingException("no TLS with " + settings.server() + "; refused");
        }
        return new Opened(store, sockets, mode);
    }

    private static boolean isSsl(Store store) {
        if (store instanceof GuardedImapStore imap) {
            return imap.isSSL();
        }
        return store instanceof POP3Store pop3 && pop3.isSSL();
    }

    static void closeQuietly(Store store) {
        try {
            store.close();
        } catch (MessagingException | RuntimeException e) {
            // going away anyway
        }
    }
}
