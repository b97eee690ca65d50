package org.mailslot.smtp.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.Test;

/** The listeners' transport: netty's native epoll where the distribution's library loads, NIO elsewhere. */
class IoTransportTest {

    @Test
    void linuxOnX8664GetsTheNativeEpollTransport() {
        assumeTrue(System.getProperty("os.name").equals("Linux") && System.getProperty("os.arch").equals("amd64"),
                "the distribution carries netty's native library for Linux x86-64 only");
        assertThat(IoTransport.available()).as(IoTransport.whyNotEpoll()).isEqualTo(IoTransport.EPOLL);
        assertThat(IoTransport.whyNotEpoll()).isEmpty();
    }
}
