package org.mailslot.retrieval.internal;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import org.mailslot.api.retrieval.InboundProcessor;
import org.mailslot.api.retrieval.MessageHandler;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link MessageHandler} and {@link InboundProcessor} services of the moment, shared by every
 * account. Accounts are told when a handler appears, so that it receives what waits for it.
 */
@Component(service = Whiteboard.class)
public final class Whiteboard {

    private static final Logger LOG = LoggerFactory.getLogger(Whiteboard.class);

    /** A handler with its name and the accounts it wants (empty: all). */
    record NamedHandler(String name, Set<String> accounts, MessageHandler handler) {
        boolean wants(String account) {
            return accounts.isEmpty() || accounts.contains(account);
        }
    }

    private record Ranked(InboundProcessor processor, int ranking, long order) {
    }

    private final Map<MessageHandler, NamedHandler> handlers = new ConcurrentHashMap<>();
    private final Map<InboundProcessor, Ranked> processors = new ConcurrentHashMap<>();
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private final AtomicLong sequence = new AtomicLong();

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    public void addHandler(MessageHandler handler, Map<String, Object> properties) {
        Object name = properties.get(MessageHandler.NAME);
        if (!(name instanceof String text) || text.isBlank()) {
            LOG.warn("Ignoring MessageHandler {} (service.id {}): it has no {} property, under which its hand-offs would"
                    + " be recorded", handler, properties.get("service.id"), MessageHandler.NAME);
            return;
        }
        handlers.put(handler, new NamedHandler(text.strip(), accounts(properties.get(MessageHandler.ACCOUNTS)), handler));
        listeners.forEach(Runnable::run);
    }

    public void removeHandler(MessageHandler handler) {
        handlers.remove(handler);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    public void addProcessor(InboundProcessor processor, Map<String, Object> properties) {
        int ranking = properties.get("service.ranking") instanceof Integer r ? r : 0;
        processors.put(processor, new Ranked(processor, ranking, sequence.incrementAndGet()));
    }

    public void removeProcessor(InboundProcessor processor) {
        processors.remove(processor);
    }

    /** @return the handlers that want the account's messages */
    List<NamedHandler> handlersFor(String account) {
        return handlers.values().stream().filter(h -> h.wants(account))
                .sorted(Comparator.comparing(NamedHandler::name)).toList();
    }

    /** @return the inbound processors, highest {@code service.ranking} first */
    List<InboundProcessor> processors() {
        return processors.values().stream()
                .sorted(Comparator.comparingInt(Ranked::ranking).reversed().thenComparingLong(Ranked::order))
                .map(Ranked::processor).toList();
    }

    /** @param listener run (on the registering thread) whenever a handler appears */
    void onHandlerAdded(Runnable listener) {
        listeners.add(listener);
    }

    void removeListener(Runnable listener) {
        listeners.remove(listener);
    }

    private static Set<String> accounts(Object value) {
        Object[] values = value instanceof String[] array ? array
                : value instanceof String s ? new String[] {s}
                : value instanceof java.util.Collection<?> c ? c.toArray() : new Object[0];
        return Arrays.stream(values).map(String::valueOf).flatMap(s -> Arrays.stream(s.split(",")))
                .map(String::strip).filter(s -> !s.isEmpty()).collect(Collectors.toUnmodifiableSet());
    }

    Optional<NamedHandler> handler(MessageHandler handler) {
        return Optional.ofNullable(handlers.get(handler));
    }
}
