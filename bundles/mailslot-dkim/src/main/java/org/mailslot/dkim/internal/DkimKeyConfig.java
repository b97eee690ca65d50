package org.mailslot.dkim.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Mailslot DKIM signing key",
        description = "Signs outgoing mail whose From domain is this domain with the key file (one per selector;"
                + " configure an RSA and an Ed25519 key for the same domain to sign with both).")
public @interface DkimKeyConfig {

    @AttributeDefinition(name = "Domain", description = "The signing domain (d=), the From domain of the mail to sign.")
    String domain();

    @AttributeDefinition(name = "Selector", description = "The selector (s=): the key is published at"
            + " SELECTOR._domainkey.DOMAIN.")
    String selector();

    @AttributeDefinition(name = "Key file", required = false, description = "PKCS#8 PEM private key; a relative path is"
            + " under etc/mailslot/dkim/. Empty: etc/mailslot/dkim/DOMAIN-SELECTOR.pem.")
    String key() default "";

    @AttributeDefinition(name = "Algorithm", required = false, description = "rsa-sha256 or ed25519-sha256; empty:"
            + " the key file's type. When set, a key of the other type is refused.")
    String algorithm() default "";
}
