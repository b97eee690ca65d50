package org.mailslot.tls.internal;

import java.security.GeneralSecurityException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import javax.net.ssl.SSLContext;

import org.mailslot.api.tls.TlsService;
import org.mailslot.support.text.ErrorText;
import org.slf4j.Logger;

/**
 * Reads and checks the material a configuration names, from its parts: {@link ProtocolsAndSuites},
 * {@link TrustLoader}, {@link IdentityResolver} (over {@link PemReader} and {@link Pkcs12File}), each
 * file read through one {@link FileStamps}, so that a change to any of them is seen. Every problem
 * becomes a {@link MaterialException} whose message is one line naming the file; nothing here logs a
 * password.
 */
final class MaterialLoader {

    private final IdentityResolver identities;

    MaterialLoader(Clock clock, Logger log) {
        this.identities = new IdentityResolver(clock, log);
    }

    /** The outcome of one load: material (complete only without error), the error, what was read. */
    record Attempt(Material material, String error, FileStamps stamps) {

        boolean complete() {
            return error == null;
        }
    }

    /**
     * Loads everything the configuration names. Bad material is not thrown but reported in the
     * attempt: then the material has no identity and carries whichever trust loaded (else the
     * JDK's), for client use only.
     *
     * @throws IllegalStateException if the JDK cannot make TLS contexts at all
     */
    Attempt load(TlsServiceImpl.Config config, String karafEtc) {
        FileStamps stamps = new FileStamps();
        List<String> errors = new ArrayList<>();
        Settings settings = null;
        try {
            settings = Settings.of(config, karafEtc);
        } catch (MaterialException e) {
            errors.add(e.getMessage());
        }
        List<String> protocols = TlsService.DEFAULT_PROTOCOLS;
        List<String> suites;
        List<String> clientSuites;
        // A protocol or suite the JDK cannot use costs no identity: the defaults stand in, and the
        // service keeps what it served before, if anything.
        List<String> settingErrors = new ArrayList<>();
        Material.Trust trust = null;
        Identity identity = null;
        try {
            SSLContext plain = SSLContext.getInstance("TLS");
            plain.init(null, null, null);
            suites = ProtocolsAndSuites.defaultCipherSuites(plain);
            clientSuites = ProtocolsAndSuites.defaultClientCipherSuites(plain);
            if (settings != null) {
                try {
                    List<String> configuredProtocols = ProtocolsAndSuites.protocols(settings, plain);
                    List<String> configuredSuites = ProtocolsAndSuites.cipherSuites(settings, plain);
                    protocols = configuredProtocols;
                    if (!settings.cipherSuites.isEmpty()) {
                        suites = configuredSuites;
                        clientSuites = configuredSuites;
                    }
                } catch (MaterialException e) {
                    settingErrors.add(e.getMessage());
                }
                try {
                    trust = TrustLoader.load(settings, stamps);
                } catch (MaterialException e) {
                    errors.add(e.getMessage());
                }
                try {
                    identity = identities.resolve(settings, stamps);
                } catch (MaterialException e) {
                    errors.add(e.getMessage());
                }
            }
            if (trust == null) {
                trust = TrustLoader.of(TrustLoader.jdkAnchors(), List.of());
            }
            boolean materialGood = errors.isEmpty();
            errors.addAll(settingErrors);
            String error = errors.isEmpty() ? null : String.join("; ", errors);
            return new Attempt(Material.of(materialGood ? identity : null, trust, protocols, suites, clientSuites), error, stamps);
        } catch (GeneralSecurityException | RuntimeException e) {
            errors.add("TLS setup failed: " + ErrorText.of(e));
            throw new IllegalStateException(String.join("; ", errors), e);
        }
    }
}
