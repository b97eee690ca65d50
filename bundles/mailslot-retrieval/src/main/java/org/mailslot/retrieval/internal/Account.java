package org.mailslot.retrieval.internal;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;

import jakarta.mail.Folder;
import jakarta.mail.MessagingException;

import org.mailslot.api.port.PortStrategyTable;
import org.mailslot.api.retrieval.AccountStatus;
import org.mailslot.api.tls.TlsService;
import org.mailslot.support.text.ErrorText;

/**
 * One retrieval account, running: its local Maildir and state under the account's directory, its
 * supervised connection ({@link AccountRunner}) and its hand-off to the handlers ({@link
 * HandOff}). {@link AccountComponent} creates it from the configuration.
 */
final class Account implements RetrievalAccount {
    private static final Duration FETCH_TIMEOUT = Duration.ofMinutes(10);

    private final AccountSettings settings;
    private final Connector connector;
    private final Whiteboard whiteboard;
    private final StateStore state;
    private final HandOff handOff;
    private final AccountRunner runner;
    private final Runnable onHandler;
    private final LocalMaildir maildir;

    /**
     * @param handlerRetryFirst the delay before a failing handler gets a message again, doubling
     * @param handlerRetryMax the longest such delay
     */
    Account(AccountSettings settings, TlsService tls, PortStrategyTable strategies, Whiteboard whiteboard,
            RetrievalThreads threads, Clock clock, Duration handlerRetryFirst, Duration handlerRetryMax)
            throws IOException {
        this.settings = settings;
        this.connector = new Connector(tls, strategies, threads.timer());
        this.whiteboard = whiteboard;
        this.maildir = new LocalMaildir(settings.directory(), threads.forces());
        this.state = StateStore.open(settings.directory().resolve("state.log"));
        this.handOff = new HandOff(settings.name(), whiteboard, state, maildir, threads.timer(), threads.commits(),
                threads.handlers(), clock, handlerRetryFirst, handlerRetryMax, settings.handlerTimeout());
        this.runner = new AccountRunner(settings, connector, state, maildir, handOff, clock, threads);
        this.onHandler = handOff::wake;
        whiteboard.onHandlerAdded(onHandler);
        handOff.wake(); // what an earlier run stored and did not hand off
        runner.start();
    }

    void stop() {
        whiteboard.removeListener(onHandler);
        runner.stop();
        handOff.stop();
        try {
            state.force();
            state.close();
        } catch (IOException e) {
            // the last hand-off records may repeat a hand-off: at least once
        }
    }

    @Override
    public String name() {
        return settings.name();
    }


    @Override
    public AccountStatus status() {
        Optional<String> error = join(runner.lastError(), Optional.ofNullable(handOff.lastError()));
        return new AccountStatus(settings.name(), settings.protocol().configName(), settings.server(),
                runner.accountState(), runner.lastSync(), runner.retrieved(), handOff.pendingCount(), error);
    }

    private static Optional<String> join(Optional<String> a, Optional<String> b) {
        return a.isPresent() && b.isPresent() ? Optional.of(a.get() + "; " + b.get()) : a.or(() -> b);
    }

    @Override
    public int fetch() throws IOException {
        return runner.fetch(FETCH_TIMEOUT);
    }

    @Override
    public List<String> test() throws IOException {
        List<String> lines = new ArrayList<>();
        Connector.Opened opened;
        try {
            lines.add("port " + settings.port() + ": TLS " + connector.tlsMode(settings).configName());
            opened = connector.open(settings);
        } catch (MessagingException e) {
            throw new IOException("connect, TLS or login to " + settings.server() + " failed: "
                    + ErrorText.of(e), e);
        }
        try {
            lines.add("connected to " + settings.server() + " (" + settings.protocol().configName() + ")");
            Optional<SSLSocket> socket = opened.sockets().lastSocket();
            if (socket.isPresent()) {
                SSLSession session = socket.get().getSession();
                lines.add("TLS " + session.getProtocol() + " " + session.getCipherSuite() + ", verification "
                        + settings.verification().configName());
            }
            lines.add("logged in as " + settings.username());
            for (Folder folder : opened.store().getDefaultFolder().list("*")) {
                boolean fetched = settings.folders().contains(folder.getFullName());
                lines.add("folder " + folder.getFullName() + ((folder.getType() & Folder.HOLDS_MESSAGES) != 0
                        ? ": " + folder.getMessageCount() + " messages" : "") + (fetched ? " (fetched)" : ""));
            }
        } catch (MessagingException e) {
            throw new IOException("listing folders on " + settings.server() + " failed: " + ErrorText.of(e), e);
        } finally {
            Connector.closeQuietly(opened.store());
        }
        return lines;
    }
}
