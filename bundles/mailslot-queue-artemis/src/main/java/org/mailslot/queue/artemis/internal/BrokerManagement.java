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

    /** @return the properties of every message of the queue: ready, scheduled and being delivered */
    List<Map<String, Object>> allMessages() throws ActiveMQException {
        List<Map<String, Object>> all = new ArrayList<>();
        addMaps(invoke("listMessages", ""), all);
        addMaps(invoke("listScheduledMessages"), all);
        Object delivering = invoke("listDeliveringMessages");
        if (delivering instanceof Map<?, ?> byConsumer) {
            byConsumer.values().forEach(messages -> addMaps(messages, all));
        }
        return all;
    }

    /** @return how many messages the filter removed, scheduled and ready ones alike */
    long removeMessages(String filter) throws ActiveMQException {
        Object removed = invoke("removeMessages", filter);
        return removed instanceof Number n ? n.longValue() : 0;
    }

    @SuppressWarnings("unchecked")
    private static void addMaps(Object result, List<Map<String, Object>> into) {
        if (result instanceof Object[] array) {
            for (Object element : array) {
                if (element instanceof Map<?, ?> map) {
                    into.add((Map<String, Object>) map);
                }
            }
        }
    }

    private Object invoke(String operation, Object... arguments) throws ActiveMQException {
        try (ClientSession session = broker.session(false);
                ClientRequestor requestor = new ClientRequestor(session, MANAGEMENT_ADDRESS)) {
            ClientMessage request = session.createMessage(false);
            ManagementHelper.putOperationInvocation(request, ResourceNames.QUEUE + broker.queue(), operation,
                    arguments);
            ClientMessage reply = requestor.request(request, 30_000);
            if (reply == null) {
                throw new ActiveMQException("the broker did not answer " + operation + " within 30 s");
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
