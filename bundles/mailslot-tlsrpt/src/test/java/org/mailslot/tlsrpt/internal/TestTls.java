package org.mailslot.tlsrpt.internal;

import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

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
        TlsServiceImpl.Config config = (TlsServiceImpl.Config) Proxy.newProxyInstance(TestTls.class.getClassLoader(),
                new Class<?>[] {TlsServiceImpl.Config.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "annotationType" -> TlsServiceImpl.Config.class;
                    case "toString" -> "Config" + properties.keySet();
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> {
                        String key = method.getName().startsWith("_")
                                ? "." + method.getName().substring(1).replace('_', '.')
                                : method.getName().replace('_', '.');
                        Object value = properties.get(key);
                        yield value == null ? method.getDefaultValue()
                                : method.getReturnType() == String.class ? String.valueOf(value) : value;
                    }
                });
        return new TlsServiceImpl(config);
    }
}
