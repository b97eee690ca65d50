package org.mailslot.crypto.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.mailslot.api.crypto.CryptoTechnology;
import org.mailslot.api.crypto.Protection;
import org.mailslot.api.mail.MailAddress;

class TreatmentDeciderTest {

    private static final MailAddress ALICE = MailAddress.parse("alice@example.org");
    private static final MailAddress SENDER = MailAddress.parse("ops@example.com");

    /** The table, with only pgp present; "key" means alice's key, "signer" the sender's signing key. */
    @ParameterizedTest(name = "encrypt {0}, sign {1}, key {2}, signer {3} -> {4}")
    @CsvSource({
        "never,       never,  false, false, clear",
        "never,       always, false, true,  SIGN",
        "never,       always, true,  false, hold",
        "if-possible, never,  true,  false, ENCRYPT",
        "if-possible, never,  false, true,  clear",
        "if-possible, always, true,  true,  SIGN_AND_ENCRYPT",
        "if-possible, always, false, true,  SIGN",
        "if-possible, always, true,  false, hold",
        "required,    never,  true,  false, ENCRYPT",
        "required,    never,  false, true,  hold",
        "required,    always, true,  true,  SIGN_AND_ENCRYPT",
        "required,    always, true,  false, hold",
        "required,    always, false, true,  hold",
    })
    void decisionTable(String encrypt, String sign, boolean key, boolean signer, String expected) {
        FakeCrypto pgp = new FakeCrypto(CryptoTechnology.PGP);
        if (key) {
            pgp.withKeys(ALICE.toString());
        }
        if (signer) {
            pgp.withSigningKeys(SENDER.toString());
        }
        Treatment treatment = decide(new RecipientPolicy(EncryptRule.fromConfig(encrypt), SignRule.fromConfig(sign),
                CryptoTechnology.PGP), pgp);

        switch (expected) {
            case "clear" -> assertThat(treatment).isEqualTo(Treatment.CLEAR);
            case "hold" -> assertThat(treatment).isInstanceOf(Treatment.Hold.class);
            default -> assertThat(treatment)
                    .isEqualTo(new Treatment.Protect(CryptoTechnology.PGP, Protection.valueOf(expected)));
        }
    }

    @Test
    void aMissingBundleIsNamedInTheReason() {
        Treatment treatment = decide(required(CryptoTechnology.PGP));

        assertThat(treatment).isEqualTo(new Treatment.Hold(
                "encryption required for alice@example.org: mailslot-openpgp not available"));
    }

    @Test
    void aMissingKeyIsNamedAndSoIsThePresentOtherTechnology() {
        Treatment treatment = decide(required(CryptoTechnology.PGP), new FakeCrypto(CryptoTechnology.PGP),
                new FakeCrypto(CryptoTechnology.SMIME));

        assertThat(treatment).isEqualTo(new Treatment.Hold(
                "encryption required for alice@example.org: no pgp key; no smime key"));
    }

    @Test
    void theOtherTechnologyIsUsedWhenThePreferredOneCannot() {
        Treatment treatment = decide(required(CryptoTechnology.PGP), new FakeCrypto(CryptoTechnology.SMIME).withKeys(ALICE.toString()));

        assertThat(treatment).isEqualTo(new Treatment.Protect(CryptoTechnology.SMIME, Protection.ENCRYPT));
    }

    @Test
    void thePreferredTechnologyWinsWhenBothCan() {
        Treatment treatment = decide(required(CryptoTechnology.SMIME), new FakeCrypto(CryptoTechnology.PGP).withKeys(ALICE.toString()),
                new FakeCrypto(CryptoTechnology.SMIME).withKeys(ALICE.toString()));

        assertThat(treatment).isEqualTo(new Treatment.Protect(CryptoTechnology.SMIME, Protection.ENCRYPT));
    }

    @Test
    void signingAndEncryptionComeFromOneTechnology() {
        FakeCrypto pgp = new FakeCrypto(CryptoTechnology.PGP).withKeys(ALICE.toString());
        FakeCrypto smime = new FakeCrypto(CryptoTechnology.SMIME).withSigningKeys(SENDER.toString());

        Treatment treatment = decide(new RecipientPolicy(EncryptRule.REQUIRED, SignRule.ALWAYS, CryptoTechnology.PGP), pgp, smime);

        assertThat(treatment).isEqualTo(new Treatment.Hold("signing and encryption required for alice@example.org:"
                + " no pgp signing key for ops@example.com; no smime key"));
    }

    @Test
    void withoutAVouchedForSenderNoKeyIsAskedAndTheReasonIsGiven() {
        FakeCrypto pgp = new FakeCrypto(CryptoTechnology.PGP).withSigningKeys(SENDER.toString());
        Capabilities can = Capabilities.ask(services(pgp), List.of(),
                new Signer(Optional.empty(), "the From field holds 2 mailboxes, not one"));

        Treatment treatment = TreatmentDecider.decide(ALICE,
                new RecipientPolicy(EncryptRule.NEVER, SignRule.ALWAYS, CryptoTechnology.PGP), can);

        assertThat(treatment).isEqualTo(new Treatment.Refuse("signing required for alice@example.org: not signed as anyone,"
                + " because the From field holds 2 mailboxes, not one"));
    }

    private static RecipientPolicy required(CryptoTechnology preferred) {
        return new RecipientPolicy(EncryptRule.REQUIRED, SignRule.NEVER, preferred);
    }

    private static Treatment decide(RecipientPolicy policy, FakeCrypto... present) {
        Capabilities can = Capabilities.ask(services(present), List.of(ALICE), new Signer(Optional.of(SENDER), ""));
        return TreatmentDecider.decide(ALICE, policy, can);
    }

    static CryptoServices services(FakeCrypto... present) {
        CryptoServices services = new CryptoServices();
        for (FakeCrypto crypto : present) {
            services.add(crypto, crypto.properties());
        }
        return services;
    }
}
