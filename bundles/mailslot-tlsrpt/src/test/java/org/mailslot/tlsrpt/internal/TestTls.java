package org.mailslot.tlsrpt.internal;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import org.mailslot.testing.peers.ComponentConfig;
import org.mailslot.tls.internal.TlsServiceImpl;

/** The real TLS service over a test CA's identity and trust, as the transport's tests make it. */
final class TestTls {

    private TestTls() {
    }

    static TlsServiceImpl service(Path identity, Path trust) {
        Map<String, Object> properties = new HashMap<>();
        properties.put("identity.pkcs12", identity.toString());
        properties.put(".identity.pkcs12.password", "secret");
        properties.put("trust.pem", trust.toString());
        properties.put("trust.jdk.defaults", false);
        properties.put("reload.interval.seconds", 0);
        properties.put("self.signed.enabled", false);
        return new TlsServiceImpl(ComponentConfig.of(TlsServiceImpl.Config.class, properties));
    }
}
