package org.mailslot.smtp.internal;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Set;

import org.mailslot.api.mail.MailAddress;
import org.mailslot.api.mail.MailSyntax;
import org.mailslot.support.config.DurationProperty;
import org.mailslot.support.config.ListProperty;
import org.mailslot.support.net.LocalHostName;

/**
 * A listener's configuration, checked.
 *
 * @param name the listener's name
 * @param address the address to listen on
 * @param port the port to listen on, 0 for any
 * @param strategyPort the port whose strategy governs the listener
 * @param localDomains where clients that have not authenticated may send; empty for the spool's
 * @param senderDomains where login-must-match-local-part lets a login use its local part; empty for the local domains
 * @param senderChecks whether mail from clients that did not log in is checked by mailslot-auth
 * @param commandTimeout the time for each command line, not reset by octets that arrive
 * @param dataTimeout the least time for a message, from 354 to its final dot
 * @param dataMinRate octets per second a message must arrive at; each octet adds 1/rate s to the data deadline
 * @param stressConnections open connections from which the stress timeouts apply
 */
record Settings(String name, String address, int port, int strategyPort, String hostname, Set<String> localDomains,
        String realm, SenderBinding senderBinding, Set<String> senderDomains, SenderChecking senderChecks, int maxLineLength, long maxMessageSize,
        int maxRecipients, int maxConnections, int maxConnectionsPerClient, Duration commandTimeout, Duration dataTimeout,
        int dataMinRate, int stressConnections, Duration stressCommandTimeout, Duration stressDataTimeout,
        int maxAuthFailures,
        int maxErrors, int maxJunkCommands, Duration shutdownGrace, int workerThreads, int ioThreads) {

    static Settings of(String name, ListenerConfig config) {
        String where = "listener " + name + ": ";
        if (config.port() < 0 || config.port() > 65535) {
            throw new IllegalArgumentException(where + "port must be between 1 and 65535, not " + config.port());
        }
        if (config.strategy() < 1 || config.strategy() > 65535) {
            throw new IllegalArgumentException(where + "strategy must name a port between 1 and 65535, not " + config.strategy());
        }
        String hostname = config.hostname() == null || config.hostname().isBlank() ? LocalHostName.get() : config.hostname().trim();
        MailSyntax.requireSingleLine("hostname", hostname);
        Set<String> domains = domains(where, "local.domains", config.local_domains());
        Set<String> senderDomains = domains(where, "sender.domains", config.sender_domains());
        return new Settings(name, config.address().trim(), config.port(), config.strategy(), hostname, domains,
                config.jaas_realm().trim(), SenderBinding.fromConfigName(config.sender_binding()),
                senderDomains, SenderChecking.fromConfigName(where, config.sender_checks()),
                atLeast(where, "max.line.length", config.max_line_length(), 512),
                atLeast(where, "max.message.size", config.max_message_size(), 1024),
                atLeast(where, "max.recipients", config.max_recipients(), 1),
                atLeast(where, "max.connections", config.max_connections(), 1),
                atLeast(where, "max.connections.per.client", config.max_connections_per_client(), 1),
                DurationProperty.positive(where + "command.timeout", config.command_timeout()),
                DurationProperty.positive(where + "data.timeout", config.data_timeout()),
                atLeast(where, "data.min.rate", config.data_min_rate(), 1),
                stressConnections(where, config),
                DurationProperty.positive(where + "stress.command.timeout", config.stress_command_timeout()),
                DurationProperty.positive(where + "stress.data.timeout", config.stress_data_timeout()),
                atLeast(where, "max.auth.failures", config.max_auth_failures(), 1),
                atLeast(where, "max.errors", config.max_errors(), 1),
                atLeast(where, "max.junk.commands", config.max_junk_commands(), 0),
                DurationProperty.zeroOrMore(where + "shutdown.grace", config.shutdown_grace()),
                atLeast(where, "worker.threads", config.worker_threads(), 1),
                ioThreads(atLeast(where, "io.threads", config.io_threads(), 0)));
    }

    /** @return the nanoseconds each message octet adds to the data deadline */
    double nanosPerDataOctet() {
        return 1e9 / dataMinRate;
    }

    /** {@code stress.threshold} percent of {@code max.connections}, at least one connection. */
    private static int stressConnections(String where, ListenerConfig config) {
        int percent = atLeast(where, "stress.threshold", config.stress_threshold(), 1);
        if (percent > 100) {
            throw new IllegalArgumentException(where + "stress.threshold must be a percentage of max.connections between 1"
                    + " and 100, not " + percent);
        }
        return (int) Math.max(1, Math.ceil(Math.max(1, config.max_connections()) * percent / 100.0));
    }

    /**
     * Half the processors by default: a session's work on its loop is small next to the kernel's
     * for its socket, and each loop more is another thread to wake per event (on 2 cores one loop
     * took 1 KB messages at 0.4 ms of CPU each where netty's default of 4 took 0.6).
     */
    private static int ioThreads(int configured) {
        return configured > 0 ? configured : Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
    }

    /** A list property; each element a domain name or address literal. */
    private static Set<String> domains(String where, String key, String[] values) {
        Set<String> domains = new LinkedHashSet<>();
        for (String domain : ListProperty.split(where + key, values)) {
            try {
                domains.add(MailAddress.parse("postmaster@" + domain).normalizedDomain());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + key + ": " + MailSyntax.quote(domain) + " is not a domain: "
                        + e.getMessage(), e);
            }
        }
        return Collections.unmodifiableSet(domains);
    }

    private static int atLeast(String where, String key, int value, int minimum) {
        return (int) atLeast(where, key, (long) value, minimum);
    }

    private static long atLeast(String where, String key, long value, long minimum) {
        if (value < minimum) {
            throw new IllegalArgumentException(where + key + " must be at least " + minimum + ", not " + value);
        }
        return value;
    }
}
