package org.mailslot.support.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DnsServerAddressTest {

    @ParameterizedTest
    @CsvSource({
        "127.0.0.53, 127.0.0.53, 53",
        "127.0.0.2:5353, 127.0.0.2, 5353",
        "' localhost:54 ', localhost, 54",
        "::1, ::1, 53",
        "2001:db8::1, 2001:db8::1, 53",
        "[::1]:5300, ::1, 5300",
        "[::1], ::1, 53",
    })
    void readsEveryFormTheResolverPropertyTakes(String value, String host, int port) throws Exception {
        InetSocketAddress address = DnsServerAddress.parse(value);

        assertThat(address.getAddress()).isEqualTo(InetAddress.getByName(host));
        assertThat(address.getPort()).isEqualTo(port);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ":53", "host:0", "host:65536", "host:dns", "[::1", "[::1]53"})
    void refusesWhatIsNoServerAddressNamingTheValue(String value) {
        assertThatThrownBy(() -> DnsServerAddress.parse(value)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("resolver " + value + " ");
    }
}
