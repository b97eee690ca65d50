package org.mailslot.crypto.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The fixed part of PID {@code org.mailslot.crypto} for metatype tools; rules are
 * {@code rule.NAME} properties that metatype cannot list (see the bundle's README).
 */
@ObjectClassDefinition(name = "Mailslot crypto policy",
        description = "Encryption and signing by recipient address or domain. Rules: rule.NAME = TARGET[, TARGET...]"
                + " : encrypt=never|if-possible|required sign=never|always technology=pgp|smime")
@interface PolicyConfig {

    @AttributeDefinition(name = "Encrypt by default", description = "never, if-possible or required",
            options = {@org.osgi.service.metatype.annotations.Option(value = "never"),
                @org.osgi.service.metatype.annotations.Option(value = "if-possible"),
                @org.osgi.service.metatype.annotations.Option(value = "required")})
    String default_encrypt() default "never";

    @AttributeDefinition(name = "Sign by default", description = "never or always (with the sender's key)",
            options = {@org.osgi.service.metatype.annotations.Option(value = "never"),
                @org.osgi.service.metatype.annotations.Option(value = "always")})
    String default_sign() default "never";

    @AttributeDefinition(name = "Preferred technology", description = "pgp or smime; the other is tried when it cannot",
            options = {@org.osgi.service.metatype.annotations.Option(value = "pgp"),
                @org.osgi.service.metatype.annotations.Option(value = "smime")})
    String default_technology() default "pgp";
}
