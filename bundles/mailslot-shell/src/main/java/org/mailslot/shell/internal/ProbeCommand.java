package org.mailslot.shell.internal;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.mailslot.api.mail.MailSyntax;
import org.mailslot.api.transport.MxProbe;
import org.mailslot.api.transport.PortProbe;
import org.mailslot.api.transport.SmtpProber;
import org.mailslot.api.transport.TlsSession;

@Service
@Command(scope = "mailslot", name = "probe",
        description = "Looks at a host's SMTP ports as the delivery client would: reachability, banner, EHLO extensions,"
                + " STARTTLS, the TLS negotiated and the certificate; with --mx, at a domain's MX hosts as the MX route"
                + " would deliver (TLS policy, DNSSEC, TLSA records and whether the certificate matches, MTA-STS)."
                + " Sends no mail and no credentials.")
public class ProbeCommand implements Action {

    // Optional, so that one missing service does not hold back every command of this bundle.
    @Reference(optional = true)
    SmtpProber prober;

    @Argument(index = 0, name = "host", description = "Host name or address; with --mx, a recipient domain",
            required = true)
    String host;

    @Option(name = "--mx", description = "Look at the domain's MX hosts on port 25, with DNSSEC, TLSA and the TLS policy")
    boolean mx;

    @Option(name = "--ports", description = "Comma-separated ports, in order")
    String ports = "25,465,587,2525";

    @Option(name = "--timeout", description = "Seconds to wait for each connection and reply")
    int timeoutSeconds = 10;

    /** Karaf stops reading options at the first argument; this takes them after the host too. */
    @Argument(index = 1, name = "options", description = "--ports, --timeout and --mx may also follow the host",
            multiValued = true)
    List<String> trailing;

    @Override
    public Object execute() {
        readTrailingOptions();
        if (timeoutSeconds < 1 || timeoutSeconds > 300) {
            throw new IllegalArgumentException("--timeout must be between 1 and 300 seconds, not " + timeoutSeconds);
        }
        SmtpProber prober = Services.require(this.prober, SmtpProber.class, "mailslot-transport");
        if (mx) {
            printMx(prober.probeMx(host, Duration.ofSeconds(timeoutSeconds)), System.out);
            return null;
        }
        print(host, prober.probe(host, parsePorts(ports), Duration.ofSeconds(timeoutSeconds)), System.out);
        return null;
    }

    private void readTrailingOptions() {
        if (trailing == null) {
            return;
        }
        for (int i = 0; i < trailing.size(); i++) {
            String option = trailing.get(i);
            if (option.equals("--mx")) {
                mx = true;
                continue;
            }
            if (i + 1 >= trailing.size() || !(option.equals("--ports") || option.equals("--timeout"))) {
                throw new IllegalArgumentException("Unexpected " + MailSyntax.quote(option)
                        + "; usage: mailslot:probe HOST [--ports 25,465,587,2525] [--timeout SECONDS],"
                        + " or mailslot:probe DOMAIN --mx [--timeout SECONDS]");
            }
            String value = trailing.get(++i);
            if (option.equals("--ports")) {
                ports = value;
            } else {
                try {
                    timeoutSeconds = Integer.parseInt(value);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("--timeout: " + MailSyntax.quote(value) + " is not a number of seconds");
                }
            }
        }
    }

    static List<Integer> parsePorts(String text) {
        List<Integer> parsed = new ArrayList<>();
        for (String part : text.split(",")) {
            try {
                int port = Integer.parseInt(part.trim());
                if (port < 1 || port > 65535) {
                    throw new NumberFormatException();
                }
                parsed.add(port);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--ports: " + MailSyntax.quote(part.trim())
                        + " is not a port between 1 and 65535");
            }
        }
        return parsed;
    }

    static void print(String host, List<PortProbe> probes, PrintStream out) {
        for (PortProbe probe : probes) {
            out.println(host + ":" + probe.port() + "  " + probe.reachability().name().toLowerCase().replace('_', ' '));
            probe.banner().ifPresent(banner -> field(out, "banner", banner));
            if (!probe.extensionsBeforeTls().isEmpty()) {
                field(out, "extensions", String.join(", ", probe.extensionsBeforeTls()));
            }
            if (probe.banner().isPresent()) {
                field(out, "starttls", probe.starttlsOffered() ? "offered" : "not offered");
            }
            probe.tls().ifPresent(tls -> printTls(tls, out));
            if (probe.tls().isPresent() && !probe.extensions().isEmpty()) {
                field(out, "under tls", String.join(", ", probe.extensions()));
            }
            probe.error().ifPresent(error -> field(out, "error", error));
            out.println();
        }
    }

    static void printMx(MxProbe probe, PrintStream out) {
        out.println(probe.domain() + "  " + probe.policy());
        field(out, "mx dnssec", name(probe.mxDnssec()));
        field(out, "mta-sts", probe.mtaSts());
        probe.error().ifPresent(error -> field(out, "error", error));
        out.println();
        for (MxProbe.MxHostProbe host : probe.hosts()) {
            out.println(host.name() + "  preference " + host.preference() + "  " + String.join(" ", host.addresses()));
            field(out, "tlsa dnssec", name(host.tlsaDnssec()));
            host.tlsa().forEach(record -> field(out, "tlsa", record));
            field(out, "policy", host.underPolicy());
            host.tlsaMatch().ifPresent(match -> field(out, "tlsa match", match));
            host.mtaSts().ifPresent(mtaSts -> field(out, "mta-sts", mtaSts));
            host.port25().ifPresent(port -> print(host.name(), List.of(port), out));
            if (host.port25().isEmpty()) {
                out.println();
            }
        }
    }

    private static String name(Enum<?> value) {
        return value.name().toLowerCase(java.util.Locale.ROOT);
    }

    private static void printTls(TlsSession tls, PrintStream out) {
        field(out, "tls", tls.protocol() + " " + tls.cipherSuite());
        field(out, "certificate", tls.peerSubject());
        field(out, "issuer", tls.peerIssuer());
        field(out, "expires", String.valueOf(tls.peerNotAfter()));
        field(out, "verified", tls.verified() ? "yes" : "no: " + tls.verificationError().orElse("unknown reason"));
    }

    private static void field(PrintStream out, String name, String value) {
        out.printf("  %-12s %s%n", name, value);
    }
}
