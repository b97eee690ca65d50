package org.mailslot.transport.internal.probe;

import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.mailslot.api.transport.DnssecStatus;
import org.mailslot.api.transport.MxProbe;
import org.mailslot.api.transport.MxProbe.MxHostProbe;
import org.mailslot.transport.internal.delivery.dane.DaneVerifier;
import org.mailslot.support.dns.DnssecLookups;
import org.mailslot.transport.internal.delivery.dane.HostTlsa;
import org.mailslot.transport.internal.delivery.dane.Tlsa;
import org.mailslot.transport.internal.delivery.mx.MxHost;
import org.mailslot.transport.internal.delivery.mx.MxLookupException;
import org.mailslot.transport.internal.delivery.mx.MxRouting;
import org.mailslot.transport.internal.delivery.policy.DestinationPolicy;
import org.mailslot.transport.internal.delivery.policy.HostTls;
import org.mailslot.transport.internal.delivery.policy.MtaStsPolicy;
import org.mailslot.transport.internal.mtasts.MtaStsVerdict;
import org.xbill.DNS.Name;
import org.xbill.DNS.TLSARecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * Looks at a recipient domain with the MX route's own resolver, TLS policies and DNSSEC lookups, and
 * at each MX host's port 25 with the prober (like {@code posttls-finger}): what delivery would do,
 * and why.
 */
final class MxInspector {

    private static final int SMTP = 25;

    private final MxRouting routing;
    private final SocketSmtpProber prober;

    MxInspector(MxRouting routing, SocketSmtpProber prober) {
        this.routing = routing;
        this.prober = prober;
    }

    MxProbe inspect(String domain, Duration timeout) {
        String name = domain.toLowerCase(Locale.ROOT);
        DestinationPolicy policy = routing.policies().decide(name);
        String mtaSts = policy.mtaSts().map(MxInspector::describe).orElse("none published");
        DnssecLookups dnssec = routing.hostTls().dnssec();
        DnssecStatus mxDnssec;
        try {
            mxDnssec = status(dnssec.query(Name.fromString(name.endsWith(".") ? name : name + "."), Type.MX));
        } catch (TextParseException e) {
            return new MxProbe(name, policy.applied("not a domain name"), DnssecStatus.FAILED, mtaSts, List.of(),
                    Optional.of(name + " is not a valid domain name: " + e.getMessage()));
        }
        List<MxHost> hosts;
        try {
            hosts = routing.resolver().resolve(name);
        } catch (MxLookupException e) {
            return new MxProbe(name, policy.applied("no MX host to deliver to"), mxDnssec, mtaSts, List.of(),
                    Optional.of(e.getMessage()));
        }
        List<MxHostProbe> probes = new ArrayList<>();
        int usable = 0;
        for (MxHost host : hosts) {
            MxHostProbe probe = inspect(policy, host, timeout);
            probes.add(probe);
            usable += probe.underPolicy().startsWith("not used") ? 0 : 1;
        }
        String result = usable == 0 ? "no MX host can be used under it: mail waits"
                : usable + " of " + hosts.size() + " MX hosts can be used under it";
        return new MxProbe(name, policy.applied(result), mxDnssec, mtaSts, probes, Optional.empty());
    }

    /** The TLSA records delivery would use, or, where DANE does not apply to the host, those at its name. */
    private DnssecLookups.Answer tlsaOf(HostTlsa found, MxHost host) {
        return found.tlsa().orElseGet(() -> found.names().isEmpty()
                ? DnssecLookups.Answer.failed(Name.root, found.addresses().detail())
                : routing.hostTls().dnssec().query(HostTlsa.tlsaName(Name.fromConstantString(host.name() + "."), SMTP),
                        Type.TLSA));
    }

    private MxHostProbe inspect(DestinationPolicy policy, MxHost host, Duration timeout) {
        HostTlsa dane = HostTlsa.lookup(routing.hostTls().dnssec(), host.name(), SMTP);
        DnssecLookups.Answer answer = tlsaOf(dane, host);
        List<Tlsa> tlsa = answer.records().stream().filter(TLSARecord.class::isInstance).map(TLSARecord.class::cast)
                .map(Tlsa::of).toList();
        HostTls underPolicy = routing.hostTls().forHost(policy, host, SMTP);
        String verdict = underPolicy instanceof HostTls.Use use
                ? (use.demand().required() ? "TLS required; " : "") + use.verified()
                : "not used: " + ((HostTls.Refuse) underPolicy).reason();
        Optional<SocketSmtpProber.Probed> probed = host.addresses().isEmpty() ? Optional.empty()
                : Optional.of(prober.probeAt(host.name(), host.addresses().get(0), SMTP, false, timeout));
        List<String> names = new ArrayList<>(dane.names());
        names.add(policy.domain());
        Optional<String> match = probed.flatMap(p -> match(tlsa, answer, p.chain(), names));
        Optional<String> mtaSts = policy.mtaSts().map(p -> MtaStsVerdict.of(p, host.name(),
                probed.flatMap(found -> found.probe().tls())));
        return new MxHostProbe(host.name(), host.preference(), host.addresses(), status(answer),
                tlsa.stream().map(Tlsa::toString).toList(), verdict, match, mtaSts,
                probed.map(SocketSmtpProber.Probed::probe));
    }

    private static Optional<String> match(List<Tlsa> tlsa, DnssecLookups.Answer answer, List<X509Certificate> chain,
            List<String> names) {
        List<Tlsa> usable = tlsa.stream().filter(Tlsa::usable).toList();
        if (usable.isEmpty() || chain.isEmpty()) {
            return Optional.empty();
        }
        String validated = answer.secure() ? "" : " (but the TLSA records are not DNSSEC-validated: not used)";
        try {
            Tlsa matched = new DaneVerifier(usable, names)
                    .verify(chain.toArray(X509Certificate[]::new), new Date());
            return Optional.of("yes: TLSA " + matched + validated);
        } catch (CertificateException e) {
            return Optional.of("no: " + e.getMessage() + validated);
        }
    }

    private static DnssecStatus status(DnssecLookups.Answer answer) {
        return DnssecStatus.valueOf(answer.security().name());
    }

    private static String describe(MtaStsPolicy policy) {
        return policy.mode().name().toLowerCase(Locale.ROOT) + ", id " + policy.id() + ", mx " + policy.mx()
                + ", max_age " + policy.maxAge().toSeconds() + " s";
    }

}
