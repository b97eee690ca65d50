package org.mailslot.dkim.internal;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;

import org.mailslot.api.dkim.MessageSignatures;
import org.mailslot.api.dkim.SignatureVerifier;
import org.mailslot.api.mail.MessageSource;

/**
 * DKIM signatures and the ARC chain from one reading of a message: one header parse, one pass over
 * the body for every body hash either asks for, one cache of parsed keys. Thread-safe.
 */
final class MessageVerifier implements SignatureVerifier {

    private final Verifier dkim;
    private final ArcChainVerifier arc;

    MessageVerifier(KeyLookup keys, Clock clock) {
        KeyRecords records = new KeyRecords();
        this.dkim = new Verifier(keys, clock, records);
        this.arc = new ArcChainVerifier(keys, records);
    }

    @Override
    public MessageSignatures verify(MessageSource message) throws IOException {
        try (InputStream in = new BufferedInputStream(message.open(), DkimSigner.HEADER_BUFFER)) {
            HeaderSection headers = HeaderSection.read(in);
            BodyHashes bodies = new BodyHashes();
            Verifier.Pending signatures = dkim.prepare(headers, bodies);
            ArcChainVerifier.Pending chain = arc.prepare(headers, bodies);
            bodies.read(in);
            return new MessageSignatures(dkim.finish(signatures, bodies), arc.finish(chain, bodies));
        }
    }
}
