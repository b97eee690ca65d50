package org.mailslot.auth.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.StringReader;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.mailslot.api.auth.DmarcResult;
import org.mailslot.api.auth.SenderAuthentication;
import org.mailslot.api.auth.SenderAuthenticator;
import org.mailslot.api.auth.SpfResult;
import org.mailslot.api.dkim.ArcResult;
import org.mailslot.api.dkim.ArcVerification;
import org.mailslot.api.dkim.DkimAlgorithm;
import org.mailslot.api.dkim.DkimResult;
import org.mailslot.api.dkim.DkimSignatureResult;
import org.mailslot.api.dkim.DkimVerification;
import org.mailslot.api.dkim.MessageSignatures;
import org.mailslot.api.mail.MessageSource;
import org.mailslot.api.retrieval.RetrievedMessage;

/** Handlers of retrieved mail see its DKIM and DMARC results; SPF has no client to check. */
class SenderAuthInboundProcessorTest {

    @Test
    void retrievedMailCarriesItsResults() throws Exception {
        MapDns dns = new MapDns().txt("_dmarc.example.com", "v=DMARC1; p=reject");
        DkimVerification signed = new DkimVerification(List.of(new DkimSignatureResult("example.com", "s1",
                Optional.of(DkimAlgorithm.RSA_SHA256), null, DkimResult.PASS, "", "")));
        SenderChecks checks = new SenderChecks(dns, PublicSuffixList.parse(new StringReader("com\n")), message -> new MessageSignatures(signed, new ArcVerification(ArcResult.NONE, 0, "", "")),
                "mx.example.net", true, () -> 0);
        SenderAuthenticator service = new SenderAuthenticator() {
            @Override
            public SenderAuthentication authenticate(Optional<InetAddress> client, String helo, String mailFrom,
                    MessageSource message) throws IOException {
                return checks.authenticate(client, helo, mailFrom, message);
            }

            @Override
            public String authservId() {
                return checks.authservId();
            }

            @Override
            public byte[] withoutClaimedResults(byte[] message) {
                return checks.withoutClaimedResults(message);
            }
        };
        RetrievedMessage fetched = RetrievedMessage.fetched("work", "INBOX", "1/7", Instant.EPOCH,
                MessageSource.of("DKIM-Signature: v=1; d=example.com; s=s1\r\nFrom: a@example.com\r\n\r\nhi\r\n".getBytes(StandardCharsets.US_ASCII)));

        SenderAuthentication result = new SenderAuthInboundProcessor(service).process(fetched).authentication().orElseThrow();

        assertEquals(SpfResult.NONE, result.mailFrom().result());
        assertEquals(DmarcResult.PASS, result.dmarc().result());
        assertEquals(Optional.empty(), fetched.authentication());
    }
}
