package org.mailslot.transport.internal.delivery.policy;

import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import org.mailslot.api.tls.PeerVerification;
import org.mailslot.api.tlsrpt.TlsResultType;
import org.mailslot.api.transport.TlsPolicyLevel;
import org.mailslot.transport.internal.delivery.TlsDemand;
import org.mailslot.transport.internal.delivery.dane.DaneVerifier;
import org.mailslot.support.dns.DnssecLookups;
import org.mailslot.support.dns.DnssecLookups.Answer;
import org.mailslot.transport.internal.delivery.dane.HostTlsa;
import org.mailslot.transport.internal.delivery.dane.Tlsa;
import org.mailslot.transport.internal.delivery.mx.MxHost;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.TLSARecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * Turns a destination's TLS policy into what each of its MX hosts must offer (RFC 7672 for DANE,
 * RFC 8461 for MTA-STS), with the DNSSEC-validated answers DANE needs.
 *
 * <p>DANE: the domain's MX RRset must validate (an insecure one makes DANE inapplicable: an attacker
 * could have named the hosts), then the host's address records, then its TLSA RRset at
 * {@code _25._tcp.HOST}, HOST being the CNAME-expanded host name first ({@link HostTlsa}). Validated usable
 * records: TLS required, the certificate must match one. Validated records none of which is usable:
 * TLS required, no authentication (RFC 7672 section 2.2). No validated records (insecure, or a secure
 * denial): {@code dane} falls back to the domain's MTA-STS policy or to {@code may}, {@code dane-only}
 * refuses the host; so do insecure address records (RFC 7672 section 2.2.2). A bogus or failed lookup,
 * of the MX, address or TLSA RRsets, refuses the host: never delivered then.
 */
public final class DestinationTls {

    private final DnssecLookups dnssec;

    public DestinationTls(DnssecLookups dnssec) {
        this.dnssec = dnssec;
    }

    /** @return the DNSSEC-validated lookups it decides on */
    public DnssecLookups dnssec() {
        return dnssec;
    }

    /**
     * @param policy the destination's policy
     * @param host one of its MX hosts
     * @param port the port to be connected to (25), for the TLSA owner name
     */
    public HostTls forHost(DestinationPolicy policy, MxHost host, int port) {
        return switch (policy.level()) {
            case MAY -> opportunistic("opportunistic TLS");
            case ENCRYPT -> new HostTls.Use(demand(PeerVerification.NONE, Optional.empty(), "encrypt"),
                    "TLS required, certificate not checked");
            case VERIFY -> new HostTls.Use(demand(PeerVerification.FULL, Optional.empty(), "verify"),
                    "verified: the certificate names " + host.name());
            case SECURE -> new HostTls.Use(demand(PeerVerification.CHAIN, Optional.of(new DomainNameCheck(policy.domain())),
                    "secure"), "verified: the certificate names " + policy.domain() + " or a sub-domain");
            case MTA_STS -> mtaSts(policy, host);
            case DANE, DANE_ONLY -> dane(policy, host, port);
        };
    }

    private static HostTls opportunistic(String why) {
        return new HostTls.Use(new TlsDemand(false, PeerVerification.NONE, Optional.empty(), false, ""), why);
    }

    private static TlsDemand demand(PeerVerification verification, Optional<TlsDemand.PeerCheck> check, String tag) {
        return new TlsDemand(true, verification, check, true, tag);
    }

    private static HostTls mtaSts(DestinationPolicy policy, MxHost host) {
        Optional<MtaStsPolicy> published = policy.mtaSts();
        if (published.isPresent() && published.get().mode() == MtaStsPolicy.Mode.TESTING) {
            // RFC 8461 section 5: validated as under enforce, delivered whatever the outcome, failures reported.
            return new HostTls.Use(TlsDemand.audited("mta-sts testing"), "opportunistic TLS (MTA-STS testing: the"
                    + " certificate is verified, failures only reported)", List.of(), published.get().names(host.name())
                            ? Optional.empty() : Optional.of(TlsResultType.VALIDATION_FAILURE));
        }
        if (published.isEmpty() || published.get().mode() != MtaStsPolicy.Mode.ENFORCE) {
            return opportunistic("opportunistic TLS (MTA-STS " + published.map(p -> p.mode().name()
                    .toLowerCase(Locale.ROOT)).orElse("none") + ")");
        }
        if (!published.get().names(host.name())) {
            return new HostTls.Refuse(host.name() + " is not an MX host the MTA-STS policy of " + policy.domain()
                    + " names " + published.get().mx());
        }
        return new HostTls.Use(demand(PeerVerification.FULL, Optional.empty(), "mta-sts"),
                "mta-sts-verified: the certificate names " + host.name() + ", which the policy names");
    }

    /**
     * For a destination whose MX lookup failed: under DANE, a bogus (or unanswered) MX RRset, or address
     * records of an MX host that are, is what a TLS report calls {@code dnssec-invalid}.
     *
     * @return why each MX host cannot be trusted, by host name ({@code ""} when the MX records themselves
     *     cannot be), if DANE applies; empty if nothing DNSSEC says is wrong
     */
    public Map<String, HostTls.Refuse> untrustedMx(DestinationPolicy policy) {
        if (policy.level() != TlsPolicyLevel.DANE && policy.level() != TlsPolicyLevel.DANE_ONLY) {
            return Map.of();
        }
        Name domain;
        try {
            domain = Name.fromString(policy.domain() + ".");
        } catch (TextParseException e) {
            return Map.of();
        }
        Answer mx = dnssec.query(domain, Type.MX);
        if (!mx.secure()) {
            return invalid(mx) ? Map.of("", new HostTls.Refuse(mx.detail(), TlsResultType.DNSSEC_INVALID)) : Map.of();
        }
        List<Name> hosts = mx.records().stream().filter(MXRecord.class::isInstance)
                .map(record -> ((MXRecord) record).getTarget()).filter(target -> !target.equals(Name.root)).toList();
        Map<String, HostTls.Refuse> untrusted = new LinkedHashMap<>();
        // No MX records (a validated denial): the domain is its own MX host.
        for (Name host : hosts.isEmpty() ? List.of(domain) : hosts) {
            Answer addresses = HostTlsa.addresses(dnssec, host);
            if (invalid(addresses)) {
                untrusted.put(host.toString(true), new HostTls.Refuse(addresses.detail(), TlsResultType.DNSSEC_INVALID));
            }
        }
        return untrusted;
    }

    private static boolean invalid(Answer answer) {
        return answer.security() == DnssecLookups.Security.BOGUS || answer.security() == DnssecLookups.Security.FAILED;
    }

    private HostTls dane(DestinationPolicy policy, MxHost host, int port) {
        Name domain;
        try {
            domain = Name.fromString(policy.domain() + ".");
        } catch (TextParseException e) {
            return new HostTls.Refuse("no DANE for " + host.name() + ": " + e.getMessage());
        }
        // The implicit MX (no MX record) is the domain itself: its address records then name it.
        Answer mx = dnssec.query(domain, host.preference() == 0 && host.name().equalsIgnoreCase(policy.domain())
                ? Type.A : Type.MX);
        switch (mx.security()) {
            case BOGUS, FAILED -> {
                return new HostTls.Refuse(mx.detail(), TlsResultType.DNSSEC_INVALID);
            }
            case INSECURE -> {
                return withoutTlsa(policy, host, "the MX records of " + policy.domain() + " are not DNSSEC-signed");
            }
            case SECURE -> {
                // On to the host's addresses and TLSA records.
            }
        }
        HostTlsa found = HostTlsa.lookup(dnssec, host.name(), port);
        switch (found.addresses().security()) {
            case BOGUS, FAILED -> {
                return new HostTls.Refuse(found.addresses().detail(), TlsResultType.DNSSEC_INVALID);
            }
            case INSECURE -> {
                return withoutTlsa(policy, host, "the address records of " + host.name() + " are not DNSSEC-signed");
            }
            case SECURE -> {
                // DANE applies: on to the TLSA records.
            }
        }
        Name tlsaName = found.tlsaName().orElseThrow();
        Answer tlsa = found.tlsa().orElseThrow();
        switch (tlsa.security()) {
            case BOGUS, FAILED -> {
                return new HostTls.Refuse(tlsa.detail(), TlsResultType.DNSSEC_INVALID);
            }
            case INSECURE -> {
                return withoutTlsa(policy, host, "the TLSA records of " + tlsaName + " are not DNSSEC-signed");
            }
            case SECURE -> {
                // Validated.
            }
        }
        if (tlsa.records().isEmpty()) {
            return withoutTlsa(policy, host, tlsaName + " has no TLSA records (DNSSEC-validated denial)");
        }
        List<Tlsa> all = tlsa.records().stream().filter(TLSARecord.class::isInstance).map(TLSARecord.class::cast)
                .map(Tlsa::of).toList();
        List<Tlsa> usable = all.stream().filter(Tlsa::usable).toList();
        if (usable.isEmpty()) {
            return new HostTls.Use(demand(PeerVerification.NONE, Optional.empty(), "encrypt"),
                    "TLS required, not authenticated: none of the " + all.size() + " TLSA records of " + tlsaName
                            + " is usable for SMTP (RFC 7672 section 2.2)");
        }
        List<String> names = new ArrayList<>(found.names());
        names.add(policy.domain());
        DaneVerifier verifier = new DaneVerifier(usable, names);
        TlsDemand.PeerCheck check = chain -> "TLSA " + verifier.verify(chain, new Date());
        return new HostTls.Use(demand(PeerVerification.NONE, Optional.of(check), "dane " + usable),
                "dane-verified: the certificate matched a DNSSEC-validated TLSA record of " + tlsaName,
                usable.stream().map(Tlsa::toString).toList());
    }

    private static HostTls withoutTlsa(DestinationPolicy policy, MxHost host, String why) {
        if (policy.level() == TlsPolicyLevel.DANE_ONLY) {
            return new HostTls.Refuse("dane-only: " + why, TlsResultType.DANE_REQUIRED);
        }
        if (policy.mtaSts().isPresent()) {
            return mtaSts(policy, host);
        }
        return opportunistic("opportunistic TLS: " + why);
    }
}
