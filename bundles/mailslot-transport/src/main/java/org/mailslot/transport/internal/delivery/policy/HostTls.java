package org.mailslot.transport.internal.delivery.policy;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.mailslot.api.tlsrpt.TlsResultType;
import org.mailslot.transport.internal.delivery.TlsDemand;

/** What a destination's TLS policy makes of one of its MX hosts: use it under a TLS demand, or not at all. */
public sealed interface HostTls {

    /**
     * @param demand the TLS every connection to the host must have
     * @param verified what a delivery under it proves, for the log: {@code dane-verified (...)}
     * @param tlsa the usable TLSA records the certificate must match ({@code 3 1 1 ab12...}), for TLS
     *     reports; empty unless DANE applies
     * @param unenforced what a policy that only reports holds against the host (an MTA-STS policy in
     *     {@code testing} mode whose patterns do not name it), for TLS reports; empty if nothing
     */
    record Use(TlsDemand demand, String verified, List<String> tlsa, Optional<TlsResultType> unenforced)
            implements HostTls {

        public Use {
            Objects.requireNonNull(demand, "demand");
            Objects.requireNonNull(verified, "verified");
            tlsa = List.copyOf(tlsa);
            Objects.requireNonNull(unenforced, "unenforced");
        }

        public Use(TlsDemand demand, String verified, List<String> tlsa) {
            this(demand, verified, tlsa, Optional.empty());
        }

        public Use(TlsDemand demand, String verified) {
            this(demand, verified, List.of());
        }
    }

    /**
     * The policy forbids the host (no usable TLSA under {@code dane-only}, not named by an enforced
     * MTA-STS policy, TLSA records that could not be validated): the next MX host is tried, and if
     * none is usable, the recipients wait.
     *
     * @param reason why, one line
     * @param reported what a TLS report says of it
     */
    record Refuse(String reason, TlsResultType reported) implements HostTls {

        public Refuse {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(reported, "reported");
        }

        public Refuse(String reason) {
            this(reason, TlsResultType.VALIDATION_FAILURE);
        }
    }
}
