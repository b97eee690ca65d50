package org.mailslot.transport.internal.delivery;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import org.mailslot.testing.peers.ComponentConfig;
import org.mailslot.tls.internal.TlsServiceImpl;

/** The real TLS service of mailslot-tls, configured as DS would from properties. */
final class TestTls {

    private TestTls() {
    }

    /**
     * @param identity the server identity (PKCS#12, password "secret"), for in-test servers
     * @param trust the extra trust anchors (PEM), for the client
     */
    static TlsServiceImpl service(Path identity, Path trust) {
        return service(identity, trust, Map.of());
    }

    /** @param more further configuration properties, such as {@code protocols} */
    static TlsServiceImpl service(Path identity, Path trust, Map<String, Object> more) {
        Map<String, Object> properties = new HashMap<>();
        properties.put("identity.pkcs12", identity.toString());
        properties.put(".identity.pkcs12.password", "secret");
        properties.put("trust.pem", trust.toString());
        properties.put("trust.jdk.defaults", false);
        properties.put("reload.interval.seconds", 0);
        properties.put("self.signed.enabled", false);
        properties.putAll(more);
        return new TlsServiceImpl(ComponentConfig.of(TlsServiceImpl.Config.class, properties));
    }
}
