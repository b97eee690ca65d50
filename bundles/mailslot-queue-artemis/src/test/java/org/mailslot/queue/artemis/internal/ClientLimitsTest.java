package org.mailslot.queue.artemis.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.activemq.artemis.api.core.TransportConfiguration;
import org.apache.activemq.artemis.api.core.client.ActiveMQClient;
import org.apache.activemq.artemis.api.core.client.ServerLocator;
import org.apache.activemq.artemis.core.remoting.impl.netty.TransportConstants;
import org.junit.jupiter.api.Test;

class ClientLimitsTest {

    @Test
    void aPlainUrlGetsBoundedWaitsAndNoReconnection() throws Exception {
        try (ServerLocator locator = ActiveMQClient.createServerLocator("tcp://127.0.0.1:61616")) {
            assertThat(ClientLimits.apply(locator, "tcp://127.0.0.1:61616")).isFalse();

            assertThat(locator.getCallTimeout()).isEqualTo(ClientLimits.CALL_TIMEOUT_MILLIS);
            assertThat(locator.getCallFailoverTimeout()).isEqualTo(ClientLimits.CALL_TIMEOUT_MILLIS);
            assertThat(locator.getReconnectAttempts()).isZero();
            for (TransportConfiguration connector : locator.getStaticTransportConfigurations()) {
                assertThat(connector.getParams()).containsEntry(TransportConstants.NETTY_CONNECT_TIMEOUT,
                        (int) ClientLimits.CALL_TIMEOUT_MILLIS);
            }
        }
    }

    @Test
    void reconnectingForeverIsCutToTheCallTimeout() throws Exception {
        String url = "(tcp://10.0.0.1:61616,tcp://10.0.0.2:61616)?ha=true&reconnectAttempts=-1&retryInterval=1000";
        try (ServerLocator locator = ActiveMQClient.createServerLocator(url)) {
            assertThat(ClientLimits.apply(locator, url)).isTrue();

            assertThat(locator.getRetryInterval()).as("the URL's own").isEqualTo(1000);
            assertThat(locator.getReconnectAttempts()).isEqualTo(10);
            assertThat(locator.getStaticTransportConfigurations()).hasSize(2);
        }
    }

    @Test
    void whatTheUrlNamesWithinTheBoundIsKept() throws Exception {
        String url = "tcp://127.0.0.1:61616?callTimeout=4000&callFailoverTimeout=3000&reconnectAttempts=2";
        try (ServerLocator locator = ActiveMQClient.createServerLocator(url)) {
            assertThat(ClientLimits.apply(locator, url)).isFalse();

            assertThat(locator.getCallTimeout()).isEqualTo(4000);
            assertThat(locator.getCallFailoverTimeout()).isEqualTo(3000);
            assertThat(locator.getReconnectAttempts()).isEqualTo(2);
        }
    }
}
