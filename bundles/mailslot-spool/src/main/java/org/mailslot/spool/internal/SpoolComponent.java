package org.mailslot.spool.internal;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicReference;

import org.mailslot.api.mail.Envelope;
import org.mailslot.api.mail.MessageSource;
import org.mailslot.api.pipeline.MessageProcessor;
import org.mailslot.api.pipeline.OutboundPipeline;
import org.mailslot.api.pipeline.RequiredStage;
import org.mailslot.api.queue.QueueStore;
import org.mailslot.api.spool.DeliveryStatistics;
import org.mailslot.api.spool.MailQueue;
import org.mailslot.api.spool.QueueEntry;
import org.mailslot.api.spool.WaitReason;
import org.mailslot.api.submission.LocalRecipients;
import org.mailslot.api.submission.MailSubmission;
import org.mailslot.api.submission.NonBlockingSubmission;
import org.mailslot.api.submission.NonBlockingWriter;
import org.mailslot.api.submission.SubmissionException;
import org.mailslot.api.transport.MailTransport;
import org.mailslot.support.files.OwnerOnly;
import org.mailslot.support.maillog.MailLog;
import org.osgi.framework.Constants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;

/**
 * The spool as services: {@link MailSubmission} to accept mail, {@link MailQueue} to operate it,
 * {@link OutboundPipeline} to ask what its pipeline requires, and the delivery scheduler behind
 * them, over the {@link QueueStore} that keeps the queue (the files of {@link FileQueueStore}, or
 * another store's service). The store of the highest ranking wins, and one that comes later with a higher
 * ranking (the Artemis store, when {@code org.mailslot.queue} says so) takes over: the component restarts
 * on it. The transport and the pipeline's processors are
 * dynamic: without a transport, remote recipients wait in the spool; nothing is lost.
 */
@Component(name = SpoolComponent.PID, service = {MailSubmission.class, MailQueue.class, OutboundPipeline.class,
        DeliveryStatistics.class}, configurationPid = SpoolComponent.PID, immediate = true)
@Designate(ocd = DeliveryConfig.class)
public final class SpoolComponent implements NonBlockingSubmission, MailQueue, OutboundPipeline, DeliveryStatistics {

    static final String PID = "org.mailslot.delivery";
    private static final Duration POLL = Duration.ofSeconds(1);

    private record Key(int ranking, long serviceId) implements Comparable<Key> {
        private static final Comparator<Key> ORDER = Comparator.comparingInt(Key::ranking).reversed()
                .thenComparingLong(Key::serviceId);

        @Override
        public int compareTo(Key other) {
            return ORDER.compare(this, other);
        }
    }

    private final AtomicReference<MailTransport> transport = new AtomicReference<>();
    private final Map<Key, DeliveryScheduler.NamedProcessor> processors = new ConcurrentSkipListMap<>();
    private final Clock clock;
    private final QueueStore store;
    /** The store this component made itself and closes, or null for a store service. */
    private final FileQueueStore ownStore;
    private final DeliveryScheduler scheduler;
    private final Maildir maildir;
    private final Set<String> localDomains;
    private final PipelineRequirements pipeline;
    private final LocalMailboxes mailboxes;
    private final AtomicReference<RealmUsers> realmUsers = new AtomicReference<>();

    @Activate
    public SpoolComponent(DeliveryConfig config,
            @Reference(name = "store", policyOption = ReferencePolicyOption.GREEDY) QueueStore store) throws IOException {
        this(Settings.from(config, System.getProperty("karaf.data")), store, null, SpoolIo.SYSTEM, Clock.systemUTC(), POLL);
    }

    /** Over a file store of its own in the configured spool directory, as a test of another bundle builds it. */
    public SpoolComponent(DeliveryConfig config) throws IOException {
        this(Settings.from(config, System.getProperty("karaf.data")), SpoolIo.SYSTEM, Clock.systemUTC(), POLL);
    }

    /** Over a file store of its own, which it closes when it stops. */
    SpoolComponent(Settings settings, SpoolIo io, Clock clock, Duration poll) throws IOException {
        this(settings, null, new FileQueueStore(settings, io, clock), io, clock, poll);
    }

    private SpoolComponent(Settings settings, QueueStore service, FileQueueStore ownStore, SpoolIo io, Clock clock,
            Duration poll) throws IOException {
        this.clock = clock;
        this.localDomains = settings.localDomains();
        this.pipeline = new PipelineRequirements(settings.requiredStages(), () -> List.copyOf(processors.values()));
        this.ownStore = ownStore;
        this.store = service != null ? service : ownStore;
        OwnerOnly.directory(settings.mailboxDirectory(), PID + " mailbox.directory");
        this.maildir = new Maildir(settings.mailboxDirectory(), io, clock);
        this.mailboxes = settings.localMailboxes(maildir, realmUsers::get);
        this.scheduler = new DeliveryScheduler(store, settings, transport::get, () -> List.copyOf(processors.values()),
                maildir, mailboxes, clock);
        if (poll != null) {
            scheduler.start(poll);
        }
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    public void bindTransport(MailTransport service) {
        transport.set(service);
        scheduler.transportArrived();
    }

    public void unbindTransport(MailTransport service) {
        transport.compareAndSet(service, null);
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindRealmUsers(RealmUsers users) {
        realmUsers.set(users);
    }

    void unbindRealmUsers(RealmUsers users) {
        realmUsers.compareAndSet(users, null);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindProcessor(MessageProcessor processor, Map<String, Object> properties) {
        processors.put(key(properties), new DeliveryScheduler.NamedProcessor(name(processor, properties), processor));
        scheduler.processorArrived();
    }

    void unbindProcessor(MessageProcessor processor, Map<String, Object> properties) {
        processors.remove(key(properties));
    }

    private static Key key(Map<String, Object> properties) {
        Object ranking = properties.get(Constants.SERVICE_RANKING);
        Object id = properties.get(Constants.SERVICE_ID);
        return new Key(ranking instanceof Integer r ? r : 0, id instanceof Long l ? l : 0L);
    }

    private static String name(MessageProcessor processor, Map<String, Object> properties) {
        Object name = properties.get(MessageProcessor.NAME);
        return name != null ? name.toString() : processor.getClass().getName();
    }

    @Deactivate
    public void deactivate() {
        scheduler.close();
        maildir.close();
        if (ownStore != null) {
            ownStore.close();
        }
        MailLog.flush(Duration.ofSeconds(5));
    }

    DeliveryScheduler scheduler() {
        return scheduler;
    }

    @Override
    public NonBlockingWriter begin(Envelope envelope) throws SubmissionException {
        return store.begin(envelope);
    }

    @Override
    public Set<String> localDomains() {
        return localDomains;
    }

    @Override
    public LocalRecipients localRecipients() {
        return mailboxes;
    }

    @Override
    public List<QueueEntry> list() {
        return store.list();
    }

    @Override
    public Optional<QueueEntry> entry(String id) {
        return store.entry(id);
    }

    @Override
    public boolean hold(String id) {
        return store.hold(id);
    }

    @Override
    public boolean release(String id) {
        return store.release(id);
    }

    @Override
    public boolean delete(String id) {
        return store.delete(id);
    }

    /** Ends every destination's suspension too: the operator wants the mail tried now. */
    @Override
    public int flush() {
        scheduler.resumeDestinations();
        return store.flush();
    }

    @Override
    public boolean flush(String id) {
        return store.flush(id);
    }

    @Override
    public Optional<MessageSource> content(String id) {
        return store.content(id);
    }

    @Override
    public List<RequiredStage> requiredFor(Envelope envelope) {
        return pipeline.requiredFor(envelope);
    }

    @Override
    public int depth() {
        return store.depth();
    }

    @Override
    public void arrived(WaitReason reason) {
        scheduler.arrived(reason);
    }

    @Override
    public List<RouteStatistics> routes() {
        return scheduler.statistics();
    }

    @Override
    public List<String> suspendedDestinations() {
        return scheduler.suspendedDestinations();
    }
}
