package org.mailslot.retrieval.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.Option;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Mailslot retrieval account",
        description = "An IMAP or POP3 mailbox Mailslot fetches from. NAME in etc/org.mailslot.account-NAME.cfg is the"
                + " account's name.")
public @interface AccountConfig {

    @AttributeDefinition(name = "Protocol", options = {@Option(value = "imap"), @Option(value = "pop3")})
    String protocol() default "imap";

    @AttributeDefinition(name = "Host", description = "The server's name, as its certificate names it.")
    String host();

    @AttributeDefinition(name = "Port",
            description = "0 for the protocol's implicit-TLS port (993, 995). The port's strategy decides TLS: 993 and"
                    + " 995 implicit, 143 and 110 STARTTLS/STLS required; a port without a strategy must do STARTTLS.")
    int port() default 0;

    @AttributeDefinition(name = "User name")
    String username();

    // The component publishes no configuration property (AccountComponent), so the name operators expect is safe;
    // .password, which DS would keep private by itself, is read as well.
    @AttributeDefinition(name = "Password", type = AttributeType.PASSWORD, required = false,
            description = "Sent only over TLS; never logged or published. .password is read as well.")
    String password() default "";

    @AttributeDefinition(name = "Folders", description = "IMAP folders to fetch (a list, or comma-separated); IDLE"
            + " watches the first. POP3 has INBOX only.")
    String[] folders() default {"INBOX"};

    @AttributeDefinition(name = "IDLE", description = "Use IMAP IDLE when the server offers it; otherwise poll.")
    boolean idle() default true;

    @AttributeDefinition(name = "Poll interval", description = "How often to look for mail without IDLE (and for"
            + " folders other than the first): 30s, 5m, 1h or ISO-8601.")
    String poll_interval() default "5m";

    @AttributeDefinition(name = "Heartbeat", description = "How often an idle connection is checked (IDLE is re-issued);"
            + " at most 29m, shorter than the read timeout.")
    String heartbeat() default "4m";

    @AttributeDefinition(name = "After hand-off", description = "What is done on the server once a message is stored"
            + " locally: leave, seen (IMAP), move (IMAP, to move.to), delete (IMAP: flag and expunge; POP3: DELE).",
            options = {@Option(value = "leave"), @Option(value = "seen"), @Option(value = "move"), @Option(value = "delete")})
    String after_handoff() default "leave";

    @AttributeDefinition(name = "Move to", required = false, description = "The IMAP folder for after.handoff=move.")
    String move_to() default "";

    @AttributeDefinition(name = "Verify the host name",
            description = "true: the certificate must verify and name the host. false: it must verify, whatever name it"
                    + " carries.")
    boolean tls_verify() default true;

    @AttributeDefinition(name = "Connect timeout", description = "A duration: 30 is seconds; 500ms, 30s, 5m, 1h.")
    String connect_timeout() default "30";

    @AttributeDefinition(name = "Read timeout", description = "For every reply; longer than the heartbeat. A duration.")
    String read_timeout() default "300";

    @AttributeDefinition(name = "Longest reconnect delay", description = "Reconnection backs off from 1s, doubling, up"
            + " to this.")
    String reconnect_max() default "5m";

    @AttributeDefinition(name = "Batch size", description = "Messages fetched per command and made durable together.")
    int batch_size() default 500;

    @AttributeDefinition(name = "Batch bytes", description = "At most this many octets (by RFC822.SIZE) per fetch"
            + " command, which is held in memory while it arrives; a larger message is fetched on its own.")
    long batch_bytes() default 32L * 1024 * 1024;

    @AttributeDefinition(name = "Handler timeout", description = "A handler call (with the inbound processors) that"
            + " has not returned after this long counts as failed and is retried later; the handler's other messages go"
            + " on meanwhile.")
    String handler_timeout() default "5m";

    @AttributeDefinition(name = "Directory", required = false,
            description = "The local Maildir and state; empty for ${karaf.data}/mailslot/retrieved/NAME")
    String directory() default "";
}
