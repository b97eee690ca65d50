package org.mailslot.crypto.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.mailslot.api.crypto.CryptoTechnology;
import org.mailslot.api.mail.MailAddress;

class PolicyParserTest {

    private static RecipientPolicy policyFor(Map<String, ?> config, String address) {
        return PolicyParser.parse(config).forRecipient(MailAddress.parse(address));
    }

    @Test
    void withoutConfigurationNothingIsProtectedAndPgpIsPreferred() {
        assertThat(policyFor(Map.of(), "alice@example.org"))
                .isEqualTo(new RecipientPolicy(EncryptRule.NEVER, SignRule.NEVER, CryptoTechnology.PGP));
    }

    @Test
    void leavesThePropertiesOfOthersAlone() {
        Map<String, Object> config = Map.of(".keys.passphrase", "secret", "keys.directory", "/somewhere",
                "service.pid", "org.mailslot.crypto", "felix.fileinstall.filename", "file:/etc/x.cfg",
                "default.encrypt", "if-possible");

        assertThat(policyFor(config, "alice@example.org").encrypt()).isEqualTo(EncryptRule.IF_POSSIBLE);
    }

    @Test
    void readsTheDefaults() {
        Map<String, Object> config = Map.of("default.encrypt", "Required", "default.sign", " always ",
                "default.technology", "smime");

        assertThat(policyFor(config, "alice@example.org"))
                .isEqualTo(new RecipientPolicy(EncryptRule.REQUIRED, SignRule.ALWAYS, CryptoTechnology.SMIME));
    }

    @Test
    void theMostSpecificRuleDecidesEachSettingAndTheRestFallsThrough() {
        Map<String, Object> config = new HashMap<>();
        config.put("default.sign", "always");
        config.put("rule.ceo", "ceo@example.org : technology=smime");
        config.put("rule.corp", "example.org : encrypt=required");
        config.put("rule.subsidiaries", "*.example.org : encrypt=if-possible sign=never");
        config.put("rule.lab", "*.lab.example.org, solo@example.net : encrypt=never");

        assertThat(policyFor(config, "ceo@example.org"))
                .isEqualTo(new RecipientPolicy(EncryptRule.REQUIRED, SignRule.ALWAYS, CryptoTechnology.SMIME));
        assertThat(policyFor(config, "bob@EXAMPLE.org"))
                .isEqualTo(new RecipientPolicy(EncryptRule.REQUIRED, SignRule.ALWAYS, CryptoTechnology.PGP));
        assertThat(policyFor(config, "bob@sales.example.org"))
                .isEqualTo(new RecipientPolicy(EncryptRule.IF_POSSIBLE, SignRule.NEVER, CryptoTechnology.PGP));
        assertThat(policyFor(config, "bob@x.lab.example.org"))
                .isEqualTo(new RecipientPolicy(EncryptRule.NEVER, SignRule.NEVER, CryptoTechnology.PGP));
        assertThat(policyFor(config, "solo@example.net").encrypt()).isEqualTo(EncryptRule.NEVER);
        assertThat(policyFor(config, "other@example.net"))
                .isEqualTo(new RecipientPolicy(EncryptRule.NEVER, SignRule.ALWAYS, CryptoTechnology.PGP));
    }

    @Test
    void aDomainRuleDoesNotCoverItsSubdomainsNorAWildcardItsDomain() {
        Map<String, Object> config = Map.of("rule.a", "example.org : encrypt=required",
                "rule.b", "*.example.com : encrypt=required");

        assertThat(policyFor(config, "x@sub.example.org").encrypt()).isEqualTo(EncryptRule.NEVER);
        assertThat(policyFor(config, "x@example.com").encrypt()).isEqualTo(EncryptRule.NEVER);
        assertThat(policyFor(config, "x@notexample.org").encrypt()).isEqualTo(EncryptRule.NEVER);
    }

    @Test
    void settingsMayBeSeparatedByBlanksCommasOrSemicolons() {
        Map<String, Object> config = Map.of("rule.a", "example.org: encrypt=required, sign=always;technology=smime");

        assertThat(policyFor(config, "x@example.org"))
                .isEqualTo(new RecipientPolicy(EncryptRule.REQUIRED, SignRule.ALWAYS, CryptoTechnology.SMIME));
    }

    @Test
    void aRuleTypedAsAListReadsAsItsItemsJoined() {
        Map<String, Object> config = Map.of("rule.a", new String[] {"alice@example.org", "example.net : encrypt=required"});

        assertThat(policyFor(config, "alice@example.org").encrypt()).isEqualTo(EncryptRule.REQUIRED);
        assertThat(policyFor(config, "bob@example.net").encrypt()).isEqualTo(EncryptRule.REQUIRED);
    }

    @Test
    void errorsNameTheBadEntry() {
        assertError(Map.of("default.encrypt", "maybe"),
                "default.encrypt: 'maybe' is not an encryption rule (never, if-possible, required)");
        assertError(Map.of("default.sign", "sometimes"), "default.sign: 'sometimes' is not a signing rule (always, never)");
        assertError(Map.of("default.technology", "gpg"), "default.technology: unknown crypto technology 'gpg' (pgp or smime)");
        assertError(Map.of("default.encryption", "never"),
                "default.encryption: unknown default (default.encrypt, default.sign, default.technology)");
        assertError(Map.of("rule.x", "example.org encrypt=required"), "rule.x: 'example.org encrypt=required' has no ':'");
        assertError(Map.of("rule.x", "example.org : encrypt=required crypt=always"), "rule.x: unknown setting 'crypt'");
        assertError(Map.of("rule.x", "example.org : encrypt"), "rule.x: 'encrypt' is not a setting");
        assertError(Map.of("rule.x", "example.org : encrypt=required encrypt=never"), "rule.x: 'encrypt' is set twice");
        assertError(Map.of("rule.x", "example.org :"), "rule.x: no settings after ':'");
        assertError(Map.of("rule.x", "exa_mple.org : sign=always"), "rule.x: 'exa_mple.org' is neither an address nor a domain");
        assertError(Map.of("rule.x", "a b@example.org : sign=always"), "rule.x: Invalid address \"a b@example.org\"");
        assertError(Map.of("rule.x", "example.org, : sign=always"), "rule.x: an empty address or domain");
        assertError(Map.of("rule.", "example.org : sign=always"), "rule.: a rule name is letters, digits");
        assertError(Map.of("rule.x", "example.org : encrypt=sometimes"), "rule.x: 'sometimes' is not an encryption rule");
    }

    @Test
    void twoRulesMayNotMakeTheSameSettingForTheSameTarget() {
        assertError(Map.of("rule.a", "example.org : encrypt=required", "rule.b", "EXAMPLE.org, x.org : encrypt=never"),
                "rule.a and rule.b both set encrypt for example.org");
    }

    @Test
    void twoRulesMayMakeDifferentSettingsForTheSameTarget() {
        Map<String, Object> config = Map.of("rule.a", "example.org : encrypt=required", "rule.b", "example.org : sign=always");

        assertThat(policyFor(config, "x@example.org"))
                .isEqualTo(new RecipientPolicy(EncryptRule.REQUIRED, SignRule.ALWAYS, CryptoTechnology.PGP));
    }

    private static void assertError(Map<String, ?> config, String message) {
        assertThatThrownBy(() -> PolicyParser.parse(config)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(message);
    }
}
