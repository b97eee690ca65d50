package org.mailslot.itests;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.mailslot.api.crypto.CryptoKeys;
import org.mailslot.api.crypto.KeyInfo;
import org.mailslot.api.crypto.MessageCrypto;
import org.mailslot.api.crypto.OpenedMessage;
import org.mailslot.api.crypto.Protection;
import org.mailslot.api.crypto.VerificationStatus;
import org.mailslot.api.mail.MailAddress;
import org.mailslot.api.mail.MessageSource;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerSuite;
import org.osgi.framework.ServiceReference;

/**
 * The S/MIME bundle inside the distribution: both services registered with
 * {@code mailslot.crypto.technology=smime}, Bouncy Castle's CMS and the JDK's AES working in OSGi,
 * a generated identity signing, encrypting, decrypting and verifying a message.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerSuite.class)
public class SmimeIT extends MailslotTestSupport {

    private static final String FILTER = "(" + MessageCrypto.TECHNOLOGY + "=smime)";

    @Test
    public void aGeneratedIdentitySignsEncryptsAndOpensInsideKaraf() throws Exception {
        await().until(() -> !bundleContext.getServiceReferences(MessageCrypto.class, FILTER).isEmpty()
                && !bundleContext.getServiceReferences(CryptoKeys.class, FILTER).isEmpty());
        ServiceReference<CryptoKeys> keysReference = bundleContext.getServiceReferences(CryptoKeys.class, FILTER).iterator().next();
        ServiceReference<MessageCrypto> cryptoReference = bundleContext.getServiceReferences(MessageCrypto.class, FILTER).iterator().next();
        CryptoKeys keys = bundleContext.getService(keysReference);
        MessageCrypto smime = bundleContext.getService(cryptoReference);
        MailAddress address = MailAddress.parse("smime-it@localhost");
        KeyInfo generated = keys.generate(address);
        try {
            assertThat(generated.canSign()).isTrue();
            byte[] message = ("From: smime-it@localhost\r\nTo: smime-it@localhost\r\nSubject: smime in karaf\r\n"
                    + "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\nsealed inside OSGi\r\n")
                    .getBytes(StandardCharsets.US_ASCII);
            byte[] sealed;
            try (var in = smime.protect(address, List.of(address), Protection.SIGN_AND_ENCRYPT, MessageSource.of(message)).open()) {
                sealed = in.readAllBytes();
            }
            String wire = new String(sealed, StandardCharsets.US_ASCII);
            assertThat(wire).contains("smime-type=authEnveloped-data").doesNotContain("sealed inside OSGi");
            assertThat(smime.isProtected(MessageSource.of(sealed))).isTrue();
            OpenedMessage opened = smime.open(MessageSource.of(sealed));
            assertThat(opened.decrypted()).isTrue();
            assertThat(opened.verification().status()).isEqualTo(VerificationStatus.VALID);
            try (var in = opened.content().open()) {
                assertThat(new String(in.readAllBytes(), StandardCharsets.US_ASCII)).contains("sealed inside OSGi");
            }
        } finally {
            keys.remove(generated.id());
            bundleContext.ungetService(keysReference);
            bundleContext.ungetService(cryptoReference);
        }
    }
}
