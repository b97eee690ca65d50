package org.mailslot.auth.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

import org.mailslot.api.auth.SenderAuthentication;
import org.mailslot.api.auth.SenderAuthenticator;
import org.mailslot.api.dkim.SignatureVerifier;
import org.mailslot.api.mail.MessageSource;
import org.mailslot.support.net.LocalHostName;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;

/**
 * The {@link SenderAuthenticator} service: {@code org.mailslot.auth} (optional) over the shared DNS
 * and the DKIM verifier. A public suffix list that cannot be read fails the configuration, naming
 * the property: without it, DMARC cannot tell organizational domains and would misjudge alignment.
 */
@Component(name = "org.mailslot.auth", service = SenderAuthenticator.class, configurationPid = "org.mailslot.auth",
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = AuthConfig.class)
public final class SenderAuthenticatorComponent implements SenderAuthenticator {

    private final AuthDns dns;
    private final PublicSuffixList suffixes;
    private final SignatureVerifier signatures;
    private final String authservId;
    private final boolean enforce;

    @Activate
    public SenderAuthenticatorComponent(AuthConfig config, @Reference AuthDns dns, @Reference SignatureVerifier signatures) {
        this.dns = dns;
        this.signatures = signatures;
        String id = config.authserv_id().strip();
        if (!id.isEmpty() && !id.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
            // It is written into a header field as a token: anything else could forge results.
            throw new IllegalArgumentException("authserv.id must be a host name (letters, digits, '.', '-', '_'), not '"
                    + id + "'");
        }
        this.authservId = id.isEmpty() ? LocalHostName.get() : id;
        String list = config.public_suffix_list().strip();
        try {
            this.suffixes = PublicSuffixList.read(Path.of(list));
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("public.suffix.list " + list + " cannot be read: " + e.getMessage(), e);
        }
        this.enforce = config.enforce();
    }

    @Override
    public SenderAuthentication authenticate(Optional<InetAddress> client, String helo, String mailFrom,
            MessageSource message) throws IOException {
        return checks().authenticate(client, helo, mailFrom, message);
    }

    @Override
    public String authservId() {
        return authservId;
    }

    @Override
    public byte[] withoutClaimedResults(byte[] message) {
        return checks().withoutClaimedResults(message);
    }

    /** The checks over the DNS in force: a resolver change applies to the next message. */
    private SenderChecks checks() {
        return new SenderChecks(dns.cached(), suffixes, signatures, authservId, enforce,
                () -> ThreadLocalRandom.current().nextInt(100));
    }
}
