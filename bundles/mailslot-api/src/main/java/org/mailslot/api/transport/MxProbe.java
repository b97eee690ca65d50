package org.mailslot.api.transport;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@link SmtpProber#probeMx} found for a recipient domain, as {@code posttls-finger} shows it:
 * the TLS policy that applies, the DNSSEC status of its MX records, its MTA-STS policy, and each MX host.
 *
 * @param domain the domain
 * @param policy the TLS policy level and why; its result says what delivery would do
 * @param mxDnssec the DNSSEC status of the MX records
 * @param mtaSts the domain's MTA-STS policy in one line ({@code none published}, or mode, id and MX patterns)
 * @param hosts the MX hosts in the order delivery tries them
 * @param error why the MX hosts could not be found, if they could not
 */
public record MxProbe(String domain, AppliedTlsPolicy policy, DnssecStatus mxDnssec, String mtaSts,
        List<MxHostProbe> hosts, Optional<String> error) {

    public MxProbe {
        Objects.requireNonNull(domain, "domain");
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(mxDnssec, "mxDnssec");
        Objects.requireNonNull(mtaSts, "mtaSts");
        hosts = List.copyOf(hosts);
        Objects.requireNonNull(error, "error");
    }

    /**
     * One MX host of a {@link MxProbe}.
     *
     * @param name the host name
     * @param preference its MX preference
     * @param addresses its addresses
     * @param tlsaDnssec the DNSSEC status of its TLSA records ({@code _25._tcp.NAME})
     * @param tlsa its TLSA records in presentation form ({@code 3 1 1 0a1b...})
     * @param underPolicy what the domain's TLS policy makes of the host: the TLS it demands, or why the host is not used
     * @param tlsaMatch whether the certificate it presented matches a usable TLSA record, and which; empty
     *     without usable records or a certificate
     * @param mtaSts whether the domain's MTA-STS policy names the host; empty without a policy
     * @param port25 the probe of its first address on port 25
     */
    public record MxHostProbe(String name, int preference, List<String> addresses, DnssecStatus tlsaDnssec,
            List<String> tlsa, String underPolicy, Optional<String> tlsaMatch, Optional<String> mtaSts,
            Optional<PortProbe> port25) {

        public MxHostProbe {
            Objects.requireNonNull(name, "name");
            addresses = List.copyOf(addresses);
            Objects.requireNonNull(tlsaDnssec, "tlsaDnssec");
            tlsa = List.copyOf(tlsa);
            Objects.requireNonNull(underPolicy, "underPolicy");
            Objects.requireNonNull(tlsaMatch, "tlsaMatch");
            Objects.requireNonNull(mtaSts, "mtaSts");
            Objects.requireNonNull(port25, "port25");
        }
    }
}
