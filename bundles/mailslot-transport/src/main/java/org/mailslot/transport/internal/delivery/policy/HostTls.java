package org.mailslot.transport.internal.delivery.policy;

import java.util.Objects;

import org.mailslot.transport.internal.delivery.TlsDemand;

/** What a destination's TLS policy makes of one of its MX hosts: use it under a TLS demand, or not at all. */
public sealed interface HostTls {

    /**
     * @param demand the TLS every connection to the host must have
     * @param verified what a delivery under it proves, for the log: {@code dane-verified (...)}
     */
    record Use(TlsDemand demand, String verified) implements HostTls {

        public Use {
            Objects.requireNonNull(demand, "demand");
            Objects.requireNonNull(verified, "verified");
        }
    }

    /**
     * The policy forbids the host (no usable TLSA under {@code dane-only}, not named by an enforced
     * MTA-STS policy, TLSA records that could not be validated): the next MX host is tried, and if
     * none is usable, the recipients wait.
     *
     * @param reason why, one line
     */
    record Refuse(String reason) implements HostTls {

        public Refuse {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
