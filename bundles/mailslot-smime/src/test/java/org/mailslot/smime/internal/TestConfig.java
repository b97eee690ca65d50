package org.mailslot.smime.internal;

import java.lang.annotation.Annotation;

/** A configuration for tests, built with withers; the defaults are those of the metatype. */
final class TestConfig implements SmimeComponent.Config {

    String passphrase = "";
    String directory = "";
    String trustPem = "";
    String[] crls = {};
    String[] legacy = {};
    String generateKey = "ec-p256";

    TestConfig passphrase(String value) {
        passphrase = value;
        return this;
    }

    TestConfig trustPem(String value) {
        trustPem = value;
        return this;
    }

    TestConfig crls(String... value) {
        crls = value;
        return this;
    }

    TestConfig legacy(String... value) {
        legacy = value;
        return this;
    }

    TestConfig generateKey(String value) {
        generateKey = value;
        return this;
    }

    @Override
    public String _keys_passphrase() {
        return passphrase;
    }

    @Override
    public String smime_directory() {
        return directory;
    }

    @Override
    public String smime_trust_pem() {
        return trustPem;
    }

    @Override
    public String[] smime_crls() {
        return crls;
    }

    @Override
    public String[] smime_legacy_recipients() {
        return legacy;
    }

    @Override
    public String smime_generate_key() {
        return generateKey;
    }

    @Override
    public Class<? extends Annotation> annotationType() {
        return SmimeComponent.Config.class;
    }
}
