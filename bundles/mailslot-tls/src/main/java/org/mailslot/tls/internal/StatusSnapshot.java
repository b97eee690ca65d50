package org.mailslot.tls.internal;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.mailslot.api.tls.TlsIdentity;
import org.mailslot.api.tls.TlsStatus;

record StatusSnapshot(
        Optional<TlsIdentity> identity,
        Optional<String> lastError,
        Optional<Instant> lastErrorAt,
        List<String> protocols,
        List<String> cipherSuites,
        int extraTrustAnchors) implements TlsStatus {

    StatusSnapshot {
        protocols = List.copyOf(protocols);
        cipherSuites = List.copyOf(cipherSuites);
    }
}
