package org.mailslot.metrics.internal;

import java.util.Map;

/** {@code org.mailslot:type=Listeners}: every SMTP listener by name. */
public interface ListenersMXBean {

    Map<String, Integer> getConnections();

    Map<String, Long> getMessagesAccepted();

    Map<String, Long> getAuthFailures();

    Map<String, Long> getTlsHandshakes();

    Map<String, Long> getTlsHandshakeFailures();

    /** @return each listener's refusing replies sent, as {@code code=count} pairs */
    Map<String, String> getRefusals();

    /** @return each listener's state and, when it is not bound, why */
    Map<String, String> getStates();
}
