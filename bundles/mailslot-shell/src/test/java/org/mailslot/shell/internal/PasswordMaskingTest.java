package org.mailslot.shell.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.util.Dictionary;
import java.util.Hashtable;

import org.junit.jupiter.api.Test;
import org.osgi.framework.ServiceReference;

class PasswordMaskingTest {

    private static Dictionary<String, Object> relay() {
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put("service.pid", "org.mailslot.relay~smarthost");
        properties.put("service.factoryPid", "org.mailslot.relay");
        properties.put("username", "relayuser");
        properties.put("password", "relay-pass");
        properties.put(".identity.pkcs12.Password", "p12-pass");
        properties.put(".keys.passphrase", "long passphrase");
        return properties;
    }

    @Test
    void aReaderWithoutATargetSeesNoPasswordOfAMailslotConfiguration() {
        Dictionary<String, Object> listed = relay();

        new PasswordMasking().modifyConfiguration(null, listed);

        assertThat(listed.get("password")).isEqualTo("********");
        assertThat(listed.get(".identity.pkcs12.Password")).isEqualTo("********");
        assertThat(listed.get(".keys.passphrase")).isEqualTo("********");
        assertThat(listed.get("username")).isEqualTo("relayuser");
    }

    @Test
    void theServiceItIsDeliveredToAndOtherConfigurationsGetTheirValues() {
        ServiceReference<?> target = (ServiceReference<?>) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {ServiceReference.class}, (proxy, method, arguments) -> null);
        Dictionary<String, Object> delivered = relay();
        new PasswordMasking().modifyConfiguration(target, delivered);
        assertThat(delivered.get("password")).isEqualTo("relay-pass");

        Hashtable<String, Object> karafs = new Hashtable<>();
        karafs.put("service.pid", "org.apache.karaf.shell");
        karafs.put("hostKeyPassword", "host");
        new PasswordMasking().modifyConfiguration(null, karafs);
        assertThat(karafs.get("hostKeyPassword")).isEqualTo("host");
    }
}
