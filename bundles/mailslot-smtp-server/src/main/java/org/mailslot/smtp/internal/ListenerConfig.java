package org.mailslot.smtp.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(
        name = "Mailslot SMTP listener",
        description = "One SMTP listener (factory PID org.mailslot.listener~NAME): where it listens and which port strategy"
                + " governs it. The listener waits, unbound, while no strategy for its strategy port is registered.")
public @interface ListenerConfig {

    @AttributeDefinition(name = "Address", description = "The local address to listen on.")
    String address() default "127.0.0.1";

    @AttributeDefinition(name = "Port", description = "The port to listen on, 1 to 65535.")
    int port();

    @AttributeDefinition(name = "Strategy", description = "The port whose PortStrategy governs this listener:"
            + " 25 (relay), 587 (submission), 465 (implicit TLS submission), 2525 (alternate) or a custom one."
            + " port=10587 with strategy=587 is submission on an unprivileged port.")
    int strategy();

    @AttributeDefinition(name = "Host name", required = false,
            description = "The name in the greeting, the EHLO reply and the Received header. Default: the local host name.")
    String hostname() default "";

    @AttributeDefinition(name = "Local domains", required = false,
            description = "Domains clients that have not authenticated may send to. Empty: the local domains of"
                    + " org.mailslot.delivery, so that what is accepted from anyone is what is delivered here.")
    String[] local_domains() default {};

    @AttributeDefinition(name = "JAAS realm", description = "The realm AUTH PLAIN and LOGIN are checked against.")
    String jaas_realm() default "karaf";

    @AttributeDefinition(name = "Sender binding",
            description = "Which MAIL FROM an authenticated user may use: none; login-must-match-local-part (the login is"
                    + " the local part of an address in one of the sender domains, or the whole address); or exact (the"
                    + " login is the whole address). Only a bound sender is vouched for (Envelope.authenticatedSender),"
                    + " which signing relies on. none must be written out: without it, an authenticated user could"
                    + " send as anyone.")
    String sender_binding() default "login-must-match-local-part";

    @AttributeDefinition(name = "Sender domains", required = false,
            description = "Domains in which login-must-match-local-part lets a login use its local part."
                    + " Empty: the local domains.")
    String[] sender_domains() default {};

    @AttributeDefinition(name = "Sender checks", required = false,
            description = "Whether mail from clients that did not log in is checked by mailslot-auth (SPF, DKIM, DMARC) at the"
                    + " end of DATA: required (while no checker is registered, such mail is refused with 451 4.7.1: it"
                    + " fails closed) or off. Empty: required on a listener whose strategy role is relay (port 25), off on"
                    + " submission listeners.")
    String sender_checks() default "";

    @AttributeDefinition(name = "Maximum command line length",
            description = "Octets per command line including CRLF (RFC 5321 section 4.5.3.1.4 asks for at least 512;"
                    + " 1000 leaves room for AUTH PLAIN's initial response). Message lines are bounded by the size only.")
    int max_line_length() default 1000;

    @AttributeDefinition(name = "Maximum message size", description = "Octets, advertised with SIZE (RFC 1870).")
    long max_message_size() default 36_700_160L;

    @AttributeDefinition(name = "Maximum recipients", description = "Recipients per message; more get 452 4.5.3.")
    int max_recipients() default 100;

    @AttributeDefinition(name = "Maximum connections", description = "Open connections in total; more get 421 4.7.0.")
    int max_connections() default 200;

    @AttributeDefinition(name = "Maximum connections per client",
            description = "Open connections from one client address; more get 421 4.7.0.")
    int max_connections_per_client() default 20;

    @AttributeDefinition(name = "Command timeout",
            description = "Time for each command line, from the end of the one before (or of a wait on the server) to its"
                    + " CRLF; octets that trickle in do not extend it (RFC 5321 section 4.5.3.2.7: at least 300).")
    String command_timeout() default "300";

    @AttributeDefinition(name = "Data timeout",
            description = "The least time for a message, from 354 to its final dot; data.min.rate adds time for its size.")
    String data_timeout() default "300";

    @AttributeDefinition(name = "Minimum data rate (octets per second)",
            description = "Each message octet received adds 1/rate seconds to the data deadline, so a large message that"
                    + " arrives at least this fast always has time (Postfix's smtpd_min_data_rate).")
    int data_min_rate() default 500;

    @AttributeDefinition(name = "Stress threshold (percent)",
            description = "Open connections, as a percentage of max.connections, from which the stress timeouts apply to"
                    + " every session, so that a listener held by slow clients frees up (Postfix's stress mode).")
    int stress_threshold() default 80;

    @AttributeDefinition(name = "Command timeout under stress",
            description = "The command timeout while the listener is at or above its stress threshold.")
    String stress_command_timeout() default "10";

    @AttributeDefinition(name = "Data timeout under stress",
            description = "The least time for a message while the listener is at or above its stress threshold;"
                    + " data.min.rate still adds time for its size.")
    String stress_data_timeout() default "10";

    @AttributeDefinition(name = "Maximum failed AUTH attempts",
            description = "Failed attempts per connection; the last one is answered 535 and then 421, and the connection closed.")
    int max_auth_failures() default 3;

    @AttributeDefinition(name = "Maximum errors",
            description = "4xx and 5xx replies a session may earn without delivering a message; then 421 4.7.0 and close"
                    + " (Postfix's smtpd_hard_error_limit).")
    int max_errors() default 20;

    @AttributeDefinition(name = "Maximum junk commands",
            description = "NOOP, RSET, VRFY and HELP a session may send without delivering a message before each further one"
                    + " counts as an error (Postfix's smtpd_junk_command_limit).")
    int max_junk_commands() default 100;

    @AttributeDefinition(name = "Shutdown grace",
            description = "When the listener is removed or reconfigured: how long transactions in flight may take to finish.")
    String shutdown_grace() default "10";

    @AttributeDefinition(name = "Worker threads",
            description = "Threads for the blocking steps (AUTH against JAAS, storing and committing messages).")
    int worker_threads() default 32;

    @AttributeDefinition(name = "I/O threads",
            description = "Event loops that accept connections and run the sessions; 0: half the processors, at least one.")
    int io_threads() default 0;
}
