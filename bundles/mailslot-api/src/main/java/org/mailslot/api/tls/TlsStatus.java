package org.mailslot.api.tls;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The state of a {@link TlsService}'s material, for {@code mailslot:status} and health checks.
 * An immutable snapshot taken when {@link TlsService#status()} is called.
 */
@ProviderType
public interface TlsStatus {

    /**
     * @return the server identity in use: the last one that loaded successfully, which may be
     *     older than the files on disk if {@link #lastError()} is present; empty if none ever did
     */
    Optional<TlsIdentity> identity();

    /** @return true if server contexts and engines can be handed out, that is an identity is present */
    default boolean serverReady() {
        return identity().isPresent();
    }

    /**
     * @return the problem with the current configuration or files, one line naming the file and
     *     the problem (for example {@code /opt/karaf/etc/tls/server.p12: wrong password or damaged
     *     PKCS#12 file}); empty once the material loads successfully again
     */
    Optional<String> lastError();

    /** @return when {@link #lastError()} was detected; empty when there is no error */
    Optional<Instant> lastErrorAt();

    /** @return the protocols enabled on every engine and socket, in order of preference */
    List<String> protocols();

    /** @return the cipher suites enabled on every engine and socket, in order of preference */
    List<String> cipherSuites();

    /** @return how many trust anchors the operator added to the JDK's */
    int extraTrustAnchors();
}
