package org.mailslot.support.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Hashtable;
import java.util.Map;

import org.junit.jupiter.api.Test;

class MxDnsSettingsTest {

    @Test
    void withoutConfigurationTheSystemsResolversAndTenSeconds() {
        assertEquals(new MxDnsSettings("", Duration.ofSeconds(10)), MxDnsSettings.of(null));
        assertEquals(MxDnsSettings.defaults(), MxDnsSettings.of(new Hashtable<>()));
    }

    @Test
    void readsTheResolverAndATimeoutInEveryDurationForm() {
        assertEquals(new MxDnsSettings("127.0.0.8:15353", Duration.ofSeconds(2)),
                MxDnsSettings.of(new Hashtable<>(Map.of("resolver", " 127.0.0.8:15353 ", "dns.timeout", "2"))));
        assertEquals(Duration.ofMillis(500), MxDnsSettings.of(new Hashtable<>(Map.of("dns.timeout", "500ms"))).timeout());
        assertEquals(Duration.ofSeconds(3), MxDnsSettings.of(new Hashtable<>(Map.of("dns.timeout", 3))).timeout());
    }

    @Test
    void aBadTimeoutIsRefusedNamingTheProperty() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MxDnsSettings.of(new Hashtable<>(Map.of("dns.timeout", "soon"))));
        assertTrue(e.getMessage().contains("org.mailslot.mx dns.timeout"), e.getMessage());
    }
}
