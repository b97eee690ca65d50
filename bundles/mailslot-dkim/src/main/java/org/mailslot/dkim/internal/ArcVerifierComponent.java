package org.mailslot.dkim.internal;

import java.io.IOException;

import org.mailslot.api.dkim.ArcVerification;
import org.mailslot.api.dkim.ArcVerifier;
import org.mailslot.api.mail.MessageSource;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** The {@link ArcVerifier} service, with the DKIM key lookups (shared resolver, cached). */
@Component(service = ArcVerifier.class)
public final class ArcVerifierComponent implements ArcVerifier {

    private final KeyLookups lookups;

    @Activate
    public ArcVerifierComponent(@Reference KeyLookups lookups) {
        this.lookups = lookups;
    }

    @Override
    public ArcVerification verify(MessageSource message) throws IOException {
        return new ArcChainVerifier(lookups.cached()).verify(message);
    }
}
