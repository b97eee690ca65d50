package org.mailslot.dkim.internal;

import java.io.IOException;
import java.time.Clock;

import org.mailslot.api.dkim.DkimVerification;
import org.mailslot.api.dkim.DkimVerifier;
import org.mailslot.api.mail.MessageSource;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** The {@link DkimVerifier} service, with the shared, cached DNS key lookups. */
@Component(service = DkimVerifier.class)
public final class DkimVerifierComponent implements DkimVerifier {

    private final KeyLookups lookups;

    @Activate
    public DkimVerifierComponent(@Reference KeyLookups lookups) {
        this.lookups = lookups;
    }

    /** The verifier for the lookups in force: a resolver change applies to the next message. */
    private volatile Verifier verifier;
    private volatile KeyLookup verifierLookup;

    @Override
    public DkimVerification verify(MessageSource message) throws IOException {
        KeyLookup lookup = lookups.cached();
        Verifier current = verifier;
        if (current == null || verifierLookup != lookup) {
            current = new Verifier(lookup, Clock.systemUTC());
            verifier = current;
            verifierLookup = lookup;
        }
        return current.verify(message);
    }
}
