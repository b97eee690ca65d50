package org.mailslot.dkim.internal;

import java.io.IOException;
import java.time.Clock;

import org.mailslot.api.dkim.MessageSignatures;
import org.mailslot.api.dkim.SignatureVerifier;
import org.mailslot.api.mail.MessageSource;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** The {@link SignatureVerifier} service (DKIM and ARC in one reading), with the shared, cached DNS key lookups. */
@Component(service = SignatureVerifier.class)
public final class SignatureVerifierComponent implements SignatureVerifier {

    private final KeyLookups lookups;

    private record Current(KeyLookup lookup, MessageVerifier verifier) {
    }

    /** The verifier for the lookups in force: a resolver change applies to the next message. */
    private volatile Current current;

    @Activate
    public SignatureVerifierComponent(@Reference KeyLookups lookups) {
        this.lookups = lookups;
    }

    @Override
    public MessageSignatures verify(MessageSource message) throws IOException {
        KeyLookup lookup = lookups.cached();
        Current now = current;
        if (now == null || now.lookup() != lookup) {
            now = new Current(lookup, new MessageVerifier(lookup, Clock.systemUTC()));
            current = now;
        }
        return now.verifier().verify(message);
    }
}
