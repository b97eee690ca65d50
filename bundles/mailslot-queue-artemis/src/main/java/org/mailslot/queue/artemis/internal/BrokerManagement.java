package org.mailslot.queue.artemis.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.activemq.artemis.api.core.ActiveMQException;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.api.core.client.ClientMessage;
import org.apache.activemq.artemis.api.core.client.ClientRequestor;
import org.apache.activemq.artemis.api.core.client.ClientSession;
import org.apache.activemq.artemis.api.core.management.ManagementHelper;
import org.apache.activemq.artemis.api.core.management.ResourceNames;

/**
 * The broker's management operations on the queue, asked over the core protocol (the broker user
 * needs the {@code manage} permission): they reach messages a consumer cannot see, those scheduled for
 * a later attempt and those leased to a node.
 */
final class BrokerManagement {

    private static final String MANAGEMENT_ADDRESS = "activemq.management";
    /** The session metadata naming the node a lane's session belongs to ({@link LaneSession}). */
    static final String NODE = "mailslot_node";
    /** How the broker names a consumer in its listing of delivering messages: connection, session, consumer. */
    private static final Pattern CONSUMER = Pattern.compile("id=([^:\\s]+):([^:\\s]+):");

    private final Broker broker;
    private ClientSession session;
    private ClientRequestor requestor;

    BrokerManagement(Broker broker) {
        this.broker = broker;
    }

    /** Where a message is in the broker's queue. */
    enum Where {
        /** Due and waiting for a consumer (or held, which no node's consumer selects). */
        READY,
        /** Scheduled for a later attempt: no consumer sees it before then. */
        SCHEDULED,
        /** Received by a node and not yet acknowledged: leased. */
        DELIVERING
    }

    /**
     * A message's properties, as the management operations list them, and where it is.
     *
     * @param consumer for a message being delivered, the broker's name of the consumer holding it
     */
    record Listed(Map<String, Object> properties, Where where, Optional<String> consumer) {
    }

    /** @return how other nodes name this one: its host and process */
    static String thisNode() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "localhost";
        }
        return host + " (pid " + ProcessHandle.current().pid() + ")";
    }

    /** @return every message of the queue: ready, scheduled and being delivered */
    List<Listed> allMessages() throws ActiveMQException {
        List<Listed> all = new ArrayList<>();
        addMaps(invoke("listMessages", ""), Where.READY, Optional.empty(), all);
        addMaps(invoke("listScheduledMessages"), Where.SCHEDULED, Optional.empty(), all);
        Object delivering = invoke("listDeliveringMessages");
        if (delivering instanceof Map<?, ?> byConsumer) {
            byConsumer.forEach((consumer, messages) -> addMaps(messages, Where.DELIVERING,
                    Optional.of(String.valueOf(consumer)), all));
        }
        return all;
    }

    /**
     * @param consumer the broker's name of a consumer, as {@link Listed#consumer()} gives it
     * @return the node whose lane session that consumer belongs to, if the broker still knows it
     */
    Optional<String> nodeOf(String consumer) throws ActiveMQException {
        Matcher id = CONSUMER.matcher(consumer);
        if (!id.find()) {
            return Optional.empty();
        }
        String sessions = String.valueOf(invokeOn(ResourceNames.BROKER, "listSessionsAsJSON", id.group(1)));
        int session = sessions.indexOf("\"sessionID\":\"" + id.group(2) + "\"");
        if (session < 0) {
            return Optional.empty();
        }
        int next = sessions.indexOf("\"sessionID\"", session + 1);
        Matcher node = Pattern.compile("\"" + NODE + "\":\"([^\"]*)\"").matcher(sessions)
                .region(session, next < 0 ? sessions.length() : next);
        return node.find() ? Optional.of(node.group(1)) : Optional.empty();
    }

    /** Makes the scheduled messages the filter selects due now, as if their time had come. */
    void deliverScheduled(String filter) throws ActiveMQException {
        invoke("deliverScheduledMessages", filter);
    }

    /** @return how many messages the filter removed, scheduled and ready ones alike */
    long removeMessages(String filter) throws ActiveMQException {
        return removeMessages(broker.queue(), filter);
    }

    /** @return how many messages of that queue the filter removed */
    long removeMessages(String queue, String filter) throws ActiveMQException {
        Object removed = invokeOn(ResourceNames.QUEUE + queue, "removeMessages", filter);
        return removed instanceof Number n ? n.longValue() : 0;
    }

    @SuppressWarnings("unchecked")
    private static void addMaps(Object result, Where where, Optional<String> consumer, List<Listed> into) {
        if (result instanceof Object[] array) {
            for (Object element : array) {
                if (element instanceof Map<?, ?> map) {
                    into.add(new Listed((Map<String, Object>) map, where, consumer));
                }
            }
        }
    }

    private Object invoke(String operation, Object... arguments) throws ActiveMQException {
        return invokeOn(ResourceNames.QUEUE + broker.queue(), operation, arguments);
    }

    /** @return the broker's count of the queue's messages, scheduled and being delivered included */
    synchronized long messageCount() throws ActiveMQException {
        try {
            ClientSession.QueueQuery query = session().queueQuery(SimpleString.of(broker.queue()));
            return query.isExists() ? query.getMessageCount() : 0;
        } catch (ActiveMQException | RuntimeException e) {
            close();
            throw e;
        }
    }

    private synchronized Object invokeOn(String resource, String operation, Object... arguments)
            throws ActiveMQException {
        try {
            ClientSession session = session();
            ClientMessage request = session.createMessage(false);
            ManagementHelper.putOperationInvocation(request, resource, operation, arguments);
            ClientMessage reply = requestor.request(request, broker.callTimeout());
            if (reply == null) {
                // A late answer must not be taken for the next request's: the session goes with it.
                close();
                throw new ActiveMQException("the broker did not answer " + operation + " within " + broker.callTimeout()
                        + " ms");
            }
            if (!ManagementHelper.hasOperationSucceeded(reply)) {
                throw new ActiveMQException("the broker refused " + operation + ": " + ManagementHelper.getResult(reply));
            }
            return ManagementHelper.getResult(reply);
        } catch (ActiveMQException e) {
            close();
            throw e;
        } catch (Exception e) {
            close();
            throw new ActiveMQException(operation + " on the broker failed: " + e.getMessage());
        }
    }

    /** @return the session the operations are asked in, kept between them: a new one costs the broker a login */
    private ClientSession session() throws ActiveMQException {
        if (session == null || session.isClosed()) {
            close();
            ClientSession opened = broker.session(false);
            try {
                requestor = new ClientRequestor(opened, MANAGEMENT_ADDRESS);
            } catch (Exception e) {
                opened.close();
                throw e instanceof ActiveMQException refused ? refused
                        : new ActiveMQException("cannot ask the broker's management: " + e.getMessage());
            }
            session = opened;
        }
        return session;
    }

    synchronized void close() {
        if (session != null) {
            try {
                requestor.close();
                session.close();
            } catch (Exception e) {
                // A session of a connection that is gone closes without the broker.
            }
            session = null;
            requestor = null;
        }
    }
}
