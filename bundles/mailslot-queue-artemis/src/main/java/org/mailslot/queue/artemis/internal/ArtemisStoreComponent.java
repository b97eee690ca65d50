package org.mailslot.queue.artemis.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Hashtable;
import java.util.stream.Stream;
import org.apache.activemq.artemis.api.core.ActiveMQException;
import org.mailslot.api.queue.QueueStore;
import org.mailslot.support.files.OwnerOnly;
import org.mailslot.support.text.ErrorText;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the Artemis queue store when {@code org.mailslot.queue} says {@code store = artemis}, and
 * registers it as a {@link QueueStore} ({@code mailslot.queue.store=artemis}) itself, so that no
 * configuration value, the broker password least of all, reaches the service registry. It refuses to
 * start while the file spool still holds messages: switching stores is done with an empty queue, and
 * {@code mailslot:status} shows this component failed with the reason.
 */
@Component(name = "org.mailslot.queue.artemis", configurationPid = "org.mailslot.queue",
        configurationPolicy = ConfigurationPolicy.OPTIONAL, service = {}, immediate = true)
@Designate(ocd = QueueConfig.class)
public final class ArtemisStoreComponent {

    private static final Logger LOG = LoggerFactory.getLogger(ArtemisStoreComponent.class);
    private static final int RANKING = 100;

    private ArtemisQueueStore store;
    private ServiceRegistration<QueueStore> registration;

    /**
     * @param fileSpool the file spool's store, asked whether it is empty
     */
    @Activate
    public ArtemisStoreComponent(BundleContext context, QueueConfig config,
            @Reference(name = "fileStore", target = "(" + QueueStore.STORE + "=file)") QueueStore fileSpool)
            throws IOException {
        StoreSettings settings = StoreSettings.of(config);
        if (!settings.artemis()) {
            return;
        }
        int held = fileSpool.depth();
        if (held > 0) {
            throw new IllegalStateException("the file spool still holds " + held + " message(s): deliver or delete"
                    + " them (mailslot:queue) before switching org.mailslot.queue store to artemis");
        }
        Broker broker = new Broker(settings);
        try {
            broker.connect();
        } catch (ActiveMQException e) {
            LOG.warn("The queue broker at {} cannot be reached now; mail is refused with 451 until it can: {}",
                    settings.url(), ErrorText.of(e));
        }
        Path bodies = Path.of(System.getProperty("karaf.data", System.getProperty("java.io.tmpdir")), "mailslot",
                "artemis-bodies");
        removeLeftovers(bodies);
        store = new ArtemisQueueStore(broker, bodies, Clock.systemUTC());
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put(QueueStore.STORE, "artemis");
        // Above the file store's 0: the spool, which takes the highest ranked store, moves onto this one.
        properties.put(Constants.SERVICE_RANKING, RANKING);
        registration = context.registerService(QueueStore.class, store, properties);
        LOG.info("The queue is on the Artemis broker at {}, queue {}", settings.url(), settings.queue());
    }

    private static void removeLeftovers(Path bodies) throws IOException {
        OwnerOnly.createDirectories(bodies);
        try (Stream<Path> files = Files.list(bodies)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Files.deleteIfExists(file);
            }
        }
    }

    @Deactivate
    void deactivate() {
        if (registration != null) {
            registration.unregister();
        }
        if (store != null) {
            store.close();
        }
    }
}
