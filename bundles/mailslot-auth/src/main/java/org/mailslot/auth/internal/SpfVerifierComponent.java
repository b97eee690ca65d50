package org.mailslot.auth.internal;

import java.net.InetAddress;

import org.mailslot.api.auth.SpfCheck;
import org.mailslot.api.auth.SpfVerifier;
import org.mailslot.support.net.LocalHostName;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** The {@link SpfVerifier} service over the shared, cached DNS. */
@Component(service = SpfVerifier.class)
public final class SpfVerifierComponent implements SpfVerifier {

    private final AuthDns dns;
    private final String receiver = LocalHostName.get();

    @Activate
    public SpfVerifierComponent(@Reference AuthDns dns) {
        this.dns = dns;
    }

    @Override
    public SpfCheck checkMailFrom(InetAddress client, String helo, String mailFrom) {
        return new SpfChecker(dns.cached(), receiver).checkMailFrom(client, helo, mailFrom);
    }

    @Override
    public SpfCheck checkHelo(InetAddress client, String helo) {
        return new SpfChecker(dns.cached(), receiver).checkHelo(client, helo);
    }
}
