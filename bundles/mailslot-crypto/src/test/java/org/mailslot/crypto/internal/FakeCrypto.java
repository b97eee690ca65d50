package org.mailslot.crypto.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.mailslot.api.crypto.CryptoException;
import org.mailslot.api.crypto.CryptoTechnology;
import org.mailslot.api.crypto.MessageCrypto;
import org.mailslot.api.crypto.OpenedMessage;
import org.mailslot.api.crypto.Protection;
import org.mailslot.api.crypto.Verification;
import org.mailslot.api.mail.MailAddress;
import org.mailslot.api.mail.MessageSource;
import org.osgi.framework.Constants;

/**
 * A MessageCrypto that knows the keys it is told about and "protects" by writing a readable
 * wrapper, so that tests see which technology protected what for whom.
 */
final class FakeCrypto implements MessageCrypto {

    record Call(MailAddress sender, List<MailAddress> recipients, Protection protection, String content) {
    }

    private static long nextServiceId = 1;

    final CryptoTechnology technology;
    final Set<MailAddress> encryptionKeys = new HashSet<>();
    final Set<MailAddress> signingKeys = new HashSet<>();
    final List<Call> calls = new ArrayList<>();
    RuntimeException failure;
    CryptoException protectFailure;
    CryptoException openFailure;
    RuntimeException openBug;

    FakeCrypto(CryptoTechnology technology) {
        this.technology = technology;
    }

    FakeCrypto withKeys(String... addresses) {
        for (String address : addresses) {
            encryptionKeys.add(MailAddress.parse(address));
        }
        return this;
    }

    FakeCrypto withSigningKeys(String... addresses) {
        for (String address : addresses) {
            signingKeys.add(MailAddress.parse(address));
        }
        return this;
    }

    Map<String, Object> properties() {
        return Map.of(TECHNOLOGY, technology.configName(), Constants.SERVICE_ID, nextServiceId++,
                Constants.SERVICE_RANKING, 0);
    }

    @Override
    public CryptoTechnology technology() {
        return technology;
    }

    @Override
    public Set<MailAddress> missingEncryptionKeys(Collection<MailAddress> recipients) {
        failIfAsked();
        Set<MailAddress> missing = new LinkedHashSet<>(recipients);
        missing.removeAll(encryptionKeys);
        return missing;
    }

    @Override
    public boolean canSign(MailAddress sender) {
        failIfAsked();
        return signingKeys.contains(sender);
    }

    @Override
    public synchronized MessageSource protect(MailAddress sender, Collection<MailAddress> recipients,
            Protection protection, MessageSource message) throws CryptoException, IOException {
        failIfAsked();
        if (protectFailure != null) {
            throw protectFailure;
        }
        String content = read(message);
        calls.add(new Call(sender, List.copyOf(recipients), protection, content));
        String wrapped = "Content-Type: " + contentType() + "\r\nX-Fake: " + technology.configName() + " "
                + protection + " " + recipients + " signer " + sender + "\r\n\r\n" + content;
        return MessageSource.of(wrapped.getBytes(StandardCharsets.UTF_8));
    }

    private String contentType() {
        return technology == CryptoTechnology.PGP
                ? "multipart/encrypted; protocol=\"application/pgp-encrypted\"; boundary=x"
                : "application/pkcs7-mime; smime-type=authEnveloped-data";
    }

    @Override
    public boolean isProtected(MessageSource message) throws IOException {
        failIfAsked();
        return RootProtection.of(HeaderSection.read(message)).filter(p -> p.technology() == technology).isPresent();
    }

    @Override
    public OpenedMessage open(MessageSource message) throws CryptoException, IOException {
        failIfAsked();
        if (openBug != null) {
            throw openBug;
        }
        if (openFailure != null) {
            throw openFailure;
        }
        byte[] plain = ("Subject: opened by " + technology.configName() + "\r\n\r\nsecret\r\n").getBytes(StandardCharsets.UTF_8);
        return new OpenedMessage(MessageSource.of(plain), true, Verification.notSigned(technology));
    }

    private void failIfAsked() {
        if (failure != null) {
            throw failure;
        }
    }

    static String read(MessageSource message) throws IOException {
        try (InputStream in = message.open()) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            in.transferTo(out);
            return out.toString(StandardCharsets.UTF_8);
        }
    }
}
