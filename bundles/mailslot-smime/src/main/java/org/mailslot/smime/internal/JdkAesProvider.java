package org.mailslot.smime.internal;

import java.security.NoSuchAlgorithmException;
import java.security.Provider;
import java.security.Security;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The JDK's AES (SunJCE: AES-NI for GCM and CBC) under the names Bouncy Castle's CMS code asks for:
 * SunJCE knows {@code AES/GCM/NoPadding} and {@code GCM} parameters but not the CMS object
 * identifiers (2.16.840.1.101.3.4.1.6, .46, .2, .42) for AlgorithmParameters, so Bouncy Castle
 * could not decrypt with it. This provider hands out SunJCE's own implementations under those
 * identifiers as well; nothing is registered JVM-wide.
 */
final class JdkAesProvider extends Provider {

    private static final long serialVersionUID = 1L;

    private static final Map<String, List<String>> OID_ALIASES = Map.of(
            "AlgorithmParameters/GCM", List.of("2.16.840.1.101.3.4.1.6", "2.16.840.1.101.3.4.1.26", "2.16.840.1.101.3.4.1.46"),
            "AlgorithmParameters/AES", List.of("2.16.840.1.101.3.4.1.2", "2.16.840.1.101.3.4.1.22", "2.16.840.1.101.3.4.1.42"));

    private static final List<String> AES_OIDS = List.of("2.16.840.1.101.3.4.1.2", "2.16.840.1.101.3.4.1.22",
            "2.16.840.1.101.3.4.1.42", "2.16.840.1.101.3.4.1.6", "2.16.840.1.101.3.4.1.26", "2.16.840.1.101.3.4.1.46");

    JdkAesProvider(Provider jdk) {
        super("MailslotJdkAes", "1.0", "SunJCE's AES under the CMS object identifiers");
        for (Service service : jdk.getServices()) {
            String type = service.getType();
            if (type.equals("Cipher") || type.equals("AlgorithmParameters") || type.equals("KeyGenerator")) {
                List<String> aliases = new ArrayList<>(OID_ALIASES.getOrDefault(type + "/" + service.getAlgorithm(), List.of()));
                for (String oid : AES_OIDS) {
                    // SunJCE's own object identifier aliases (AES_256/GCM/NoPadding is 2.16.840.1.101.3.4.1.46, ...).
                    if (service.equals(jdk.getService(type, oid)) && !aliases.contains(oid)) {
                        aliases.add(oid);
                    }
                }
                putService(new Delegate(this, service, aliases));
            }
        }
    }

    /** @return the provider for symmetric CMS work: the JDK's AES, or null without SunJCE */
    static Provider create() {
        Provider jdk = Security.getProvider("SunJCE");
        return jdk == null ? null : new JdkAesProvider(jdk);
    }

    private static final class Delegate extends Service {

        private final Service target;

        Delegate(Provider provider, Service target, List<String> extraAliases) {
            super(provider, target.getType(), target.getAlgorithm(), target.getClassName(), extraAliases, Map.of());
            this.target = target;
        }

        @Override
        public Object newInstance(Object constructorParameter) throws NoSuchAlgorithmException {
            return target.newInstance(constructorParameter);
        }

        @Override
        public boolean supportsParameter(Object parameter) {
            return target.supportsParameter(parameter);
        }
    }
}
