package org.mailslot.queue.artemis.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.activemq.artemis.api.core.ActiveMQException;
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

    private final Broker broker;

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

    /** A message's properties, as the management operations list them, and where it is. */
    record Listed(Map<String, Object> properties, Where where) {
    }

    /** @return every message of the queue: ready, scheduled and being delivered */
    List<Listed> allMessages() throws ActiveMQException {
        List<Listed> all = new ArrayList<>();
        addMaps(invoke("listMessages", ""), Where.READY, all);
        addMaps(invoke("listScheduledMessages"), Where.SCHEDULED, all);
        Object delivering = invoke("listDeliveringMessages");
        if (delivering instanceof Map<?, ?> byConsumer) {
            byConsumer.values().forEach(messages -> addMaps(messages, Where.DELIVERING, all));
        }
        return all;
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
        Object removed = invokeOn(queue, "removeMessages", filter);
        return removed instanceof Number n ? n.longValue() : 0;
    }

    @SuppressWarnings("unchecked")
    private static void addMaps(Object result, Where where, List<Listed> into) {
        if (result instanceof Object[] array) {
            for (Object element : array) {
                if (element instanceof Map<?, ?> map) {
                    into.add(new Listed((Map<String, Object>) map, where));
                }
            }
        }
    }

    private Object invoke(String operation, Object... arguments) throws ActiveMQException {
        return invokeOn(broker.queue(), operation, arguments);
    }

    private Object invokeOn(String queue, String operation, Object... arguments) throws ActiveMQException {
        try (ClientSession session = broker.session(false);
                ClientRequestor requestor = new ClientRequestor(session, MANAGEMENT_ADDRESS)) {
            ClientMessage request = session.createMessage(false);
            ManagementHelper.putOperationInvocation(request, ResourceNames.QUEUE + queue, operation,
                    arguments);
            ClientMessage reply = requestor.request(request, broker.callTimeout());
            if (reply == null) {
                throw new ActiveMQException("the broker did not answer " + operation + " within " + broker.callTimeout()
                        + " ms");
            }
            if (!ManagementHelper.hasOperationSucceeded(reply)) {
                throw new ActiveMQException("the broker refused " + operation + ": " + ManagementHelper.getResult(reply));
            }
            return ManagementHelper.getResult(reply);
        } catch (ActiveMQException e) {
            throw e;
        } catch (Exception e) {
            throw new ActiveMQException(operation + " on the broker failed: " + e.getMessage());
        }
    }
}
