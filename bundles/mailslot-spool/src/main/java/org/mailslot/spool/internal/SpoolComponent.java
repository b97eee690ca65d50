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
import org.mailslot.api.spool.DeliveryStatistics;
import org.mailslot.api.spool.MailQueue;
import org.mailslot.api.spool.QueueEntry;
import org.mailslot.api.submission.LocalRecipients;
import org.mailslot.api.submission.MailSubmission;
import org.mailslot.api.submission.NonBlockingSubmission;
import org.mailslot.api.submission.NonBlockingWriter;
import org.mailslot.api.submission.SubmissionException;
import org.mailslot.api.transport.MailTransport;
import org.mailslot.support.files.OwnerOnly;
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
 * them. The transport and the pipeline's processors are
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
    private final FileSpool spool;
    private final DeliveryScheduler scheduler;
    private final Set<String> localDomains;
    private final PipelineRequirements pipeline;
    private final LocalMailboxes mailboxes;
    private final AtomicReference<RealmUsers> realmUsers = new AtomicReference<>();

    @Activate
    public SpoolComponent(DeliveryConfig config) throws IOException {
        this(Settings.from(config, System.getProperty("karaf.data")), SpoolIo.SYSTEM, Clock.systemUTC(), POLL);
    }

    SpoolComponent(Settings settings, SpoolIo io, Clock clock, Duration poll) throws IOException {
        this.clock = clock;
        this.localDomains = settings.localDomains();
        this.pipeline = new PipelineRequirements(settings.requiredStages(), () -> List.copyOf(processors.values()));
        this.spool = new FileSpool(settings.spoolDirectory(), settings.maxMessageSize(), io, clock);
        OwnerOnly.directory(settings.mailboxDirectory(), PID + " mailbox.directory");
        Maildir maildir = new Maildir(settings.mailboxDirectory(), io, clock);
        this.mailboxes = settings.localMailboxes(maildir, realmUsers::get);
        this.scheduler = new DeliveryScheduler(spool, settings, transport::get, () -> List.copyOf(processors.values()),
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
        spool.close();
    }

    DeliveryScheduler scheduler() {
        return scheduler;
    }

    FileSpool spool() {
        return spool;
    }

    @Override
    public NonBlockingWriter begin(Envelope envelope) throws SubmissionException {
        return spool.begin(envelope);
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
        return spool.entries().stream().map(SpoolEntry::snapshot).toList();
    }

    @Override
    public Optional<QueueEntry> entry(String id) {
        return spool.entry(id).map(SpoolEntry::snapshot);
    }

    @Override
    public boolean hold(String id) {
        return change(id, entry -> entry.hold(true, clock.instant()));
    }

    @Override
    public boolean release(String id) {
        return change(id, entry -> {
            entry.hold(false, clock.instant());
            scheduler.rescheduled(entry);
        });
    }

    private boolean change(String id, java.util.function.Consumer<SpoolEntry> change) {
        Optional<SpoolEntry> entry = spool.entry(id);
        entry.ifPresent(e -> {
            change.accept(e);
            spool.saveState(e, true);
        });
        return entry.isPresent();
    }

    @Override
    public boolean delete(String id) {
        Optional<SpoolEntry> entry = spool.entry(id);
        entry.filter(SpoolEntry::markDeleted).ifPresent(spool::remove);
        return entry.isPresent();
    }

    @Override
    public int flush() {
        scheduler.resumeDestinations();
        int count = 0;
        for (SpoolEntry entry : spool.entries()) {
            if (!entry.isHeld()) {
                entry.dueNow(clock.instant());
                scheduler.rescheduled(entry);
                count++;
            }
        }
        return count;
    }

    @Override
    public boolean flush(String id) {
        Optional<SpoolEntry> entry = spool.entry(id);
        entry.filter(e -> !e.isHeld()).ifPresent(e -> {
            e.dueNow(clock.instant());
            scheduler.rescheduled(e);
        });
        return entry.isPresent();
    }

    @Override
    public Optional<MessageSource> content(String id) {
        return spool.entry(id).map(SpoolEntry::body);
    }

    @Override
    public List<RequiredStage> requiredFor(Envelope envelope) {
        return pipeline.requiredFor(envelope);
    }

    @Override
    public int depth() {
        return spool.depth();
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
