package org.mailslot.queue.artemis.internal;

import java.util.HashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.activemq.artemis.api.core.TransportConfiguration;
import org.apache.activemq.artemis.api.core.client.ServerLocator;
import org.apache.activemq.artemis.core.remoting.impl.netty.TransportConstants;

/**
 * Bounds every wait of the Artemis client, so that a broker that is away costs an SMTP client seconds
 * (a {@code 451}), never minutes: a blocking call, a call made while the client reconnects, a TCP connect,
 * and the reconnection itself, during which the client makes new sessions wait. What the operator's
 * {@code artemis.url} names is kept, except an unbounded or longer reconnection, which is cut to the
 * call timeout (a failover to a backup broker takes a few seconds and fits in it).
 */
final class ClientLimits {

    /** The call timeout unless the URL names one. */
    static final long CALL_TIMEOUT_MILLIS = 10_000;
    /** The pause between reconnection attempts unless the URL names one. */
    static final long RETRY_INTERVAL_MILLIS = 500;

    private static final Pattern PARAMETER = Pattern.compile("[?&]([A-Za-z][A-Za-z0-9-]*)=");

    private ClientLimits() {
    }

    /** @return the largest reconnectAttempts that ends a reconnection within the call timeout */
    static int reconnectBound(ServerLocator locator) {
        return (int) Math.max(1, locator.getCallTimeout() / Math.max(1, locator.getRetryInterval()));
    }

    /**
     * @param url the URL the locator was made of
     * @return whether a reconnection the URL asked for was cut to the bound
     */
    static boolean apply(ServerLocator locator, String url) {
        Set<String> named = parameters(url);
        if (!named.contains("callTimeout")) {
            locator.setCallTimeout(CALL_TIMEOUT_MILLIS);
        }
        if (!named.contains("callFailoverTimeout")) {
            locator.setCallFailoverTimeout(locator.getCallTimeout());
        }
        if (!named.contains("retryInterval")) {
            locator.setRetryInterval(RETRY_INTERVAL_MILLIS);
        }
        if (!named.contains("retryIntervalMultiplier")) {
            locator.setRetryIntervalMultiplier(1.0);
        }
        for (TransportConfiguration connector : locator.getStaticTransportConfigurations()) {
            connector.getParams().putIfAbsent(TransportConstants.NETTY_CONNECT_TIMEOUT, (int) locator.getCallTimeout());
        }
        int bound = reconnectBound(locator);
        boolean cut = false;
        if (locator.getReconnectAttempts() < 0 || locator.getReconnectAttempts() > bound) {
            locator.setReconnectAttempts(bound);
            cut = true;
        }
        if (locator.getInitialConnectAttempts() < 0 || locator.getInitialConnectAttempts() > bound) {
            locator.setInitialConnectAttempts(bound);
            cut = true;
        }
        return cut;
    }

    static Set<String> parameters(String url) {
        Set<String> names = new HashSet<>();
        Matcher matcher = PARAMETER.matcher(url);
        while (matcher.find()) {
            names.add(matcher.group(1));
        }
        return names;
    }
}
