package org.mailslot.retrieval.internal;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import org.mailslot.api.retrieval.InboundProcessor;
import org.mailslot.api.retrieval.MessageHandler;
import org.mailslot.support.config.ListProperty;
import org.mailslot.support.pipeline.RequiredStages;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link MessageHandler} and {@link InboundProcessor} services of the moment, shared by every
 * account, and the inbound stages that must be among them ({@code inbound.required} of {@code
 * org.mailslot.retrieval}, changed in place). Accounts are told when a handler or processor
 * appears or the requirement changes, so that what waits for it moves on.
 */
@Component(service = Whiteboard.class, configurationPid = Whiteboard.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = RetrievalConfig.class)
public final class Whiteboard {

    /** The configuration PID. */
    public static final String PID = "org.mailslot.retrieval";

    private static final Logger LOG = LoggerFactory.getLogger(Whiteboard.class);

    /** A handler with its name and the accounts it wants (empty: all). */
    record NamedHandler(String name, Set<String> accounts, MessageHandler handler) {
        boolean wants(String account) {
            return accounts.isEmpty() || accounts.contains(account);
        }
    }

    private record Ranked(InboundProcessor processor, String name, int ranking, long order) {
    }

    private final Map<MessageHandler, NamedHandler> handlers = new ConcurrentHashMap<>();
    private final Map<InboundProcessor, Ranked> processors = new ConcurrentHashMap<>();
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private final AtomicLong sequence = new AtomicLong();
    private volatile List<String> required;

    /** Requires no inbound stage (tests, benchmarks; as a component it requires what {@link RetrievalConfig} says). */
    public Whiteboard() {
        this.required = List.of();
    }

    @Activate
    public Whiteboard(RetrievalConfig config) {
        this.required = required(config);
    }

    @Modified
    void modified(RetrievalConfig config) {
        required = required(config);
        listeners.forEach(Runnable::run);
    }

    private static List<String> required(RetrievalConfig config) {
        return RequiredStages.parse("inbound.required", config.inbound_required());
    }

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
        String name = properties.get(InboundProcessor.NAME) instanceof String n ? n.strip() : "";
        processors.put(processor, new Ranked(processor, name, ranking, sequence.incrementAndGet()));
        listeners.forEach(Runnable::run);
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

    /** @return the first required inbound stage that no registered processor names, if one is missing */
    Optional<String> missingStage() {
        List<String> names = processors.values().stream().map(Ranked::name).toList();
        return required.stream().filter(name -> !names.contains(name)).findFirst();
    }

    /** @param listener run (on the registering thread) whenever a handler or processor appears or the config changes */
    void onHandlerAdded(Runnable listener) {
        listeners.add(listener);
    }

    void removeListener(Runnable listener) {
        listeners.remove(listener);
    }

    private static Set<String> accounts(Object value) {
        return Set.copyOf(ListProperty.split(MessageHandler.ACCOUNTS, value));
    }

    Optional<NamedHandler> handler(MessageHandler handler) {
        return Optional.ofNullable(handlers.get(handler));
    }
}
