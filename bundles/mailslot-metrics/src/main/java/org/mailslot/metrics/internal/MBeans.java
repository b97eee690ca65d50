package org.mailslot.metrics.internal;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.StandardMBean;

import org.mailslot.api.crypto.CryptoStatistics;
import org.mailslot.api.listener.ListenerCounters;
import org.mailslot.api.listener.ListenerStatus;
import org.mailslot.api.retrieval.AccountStatus;
import org.mailslot.api.spool.DeliveryStatistics.RouteStatistics;
import org.mailslot.api.tls.TlsIdentity;
import org.mailslot.api.tls.TlsStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The {@code org.mailslot:type=...} MXBeans over the latest {@link Snapshot}, on the platform MBean server. */
final class MBeans {

    private static final Logger LOG = LoggerFactory.getLogger(MBeans.class);

    private final MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    private final List<ObjectName> names;

    private MBeans(List<ObjectName> names) {
        this.names = names;
    }

    static MBeans register(Supplier<Snapshot> latest) {
        Map<String, Object> beans = new LinkedHashMap<>();
        beans.put("Queue", new StandardMBean(queue(latest), QueueMXBean.class, true));
        beans.put("Listeners", new StandardMBean(listeners(latest), ListenersMXBean.class, true));
        beans.put("Accounts", new StandardMBean(accounts(latest), AccountsMXBean.class, true));
        beans.put("Delivery", new StandardMBean(delivery(latest), DeliveryMXBean.class, true));
        beans.put("Crypto", new StandardMBean(crypto(latest), CryptoMXBean.class, true));
        beans.put("Tls", new StandardMBean(tls(latest), TlsMXBean.class, true));
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        List<ObjectName> registered = new java.util.ArrayList<>();
        beans.forEach((type, bean) -> {
            try {
                ObjectName name = new ObjectName("org.mailslot:type=" + type);
                server.registerMBean(bean, name);
                registered.add(name);
            } catch (JMException e) {
                LOG.warn("Could not register the MBean org.mailslot:type={}: {}", type, e.toString());
            }
        });
        return new MBeans(registered);
    }

    void unregister() {
        for (ObjectName name : names) {
            try {
                server.unregisterMBean(name);
            } catch (JMException e) {
                LOG.debug("MBean {} was already gone: {}", name, e.toString());
            }
        }
    }

    private static QueueMXBean queue(Supplier<Snapshot> latest) {
        return new QueueMXBean() {
            @Override
            public int getDepth() {
                return latest.get().queue().map(QueueFigures::depth).orElse(-1);
            }

            @Override
            public long getOldestMessageAgeSeconds() {
                return latest.get().queue().flatMap(QueueFigures::oldestAge).map(Duration::toSeconds).orElse(0L);
            }

            @Override
            public Map<String, Integer> getWaitingByReason() {
                Map<String, Integer> byReason = new LinkedHashMap<>();
                latest.get().queue().ifPresent(q -> q.byReason().forEach((reason, n) -> byReason.put(reason.label(), n)));
                return byReason;
            }

            @Override
            public Map<String, Integer> getWaitingByText() {
                Map<String, Integer> byText = new LinkedHashMap<>();
                latest.get().queue().ifPresent(q -> q.waiting().forEach(g -> byText.put(g.reason(), g.messages())));
                return byText;
            }

            @Override
            public Map<String, Integer> getRecipientsByDestination() {
                return latest.get().queue().map(QueueFigures::byDestination).orElse(Map.of());
            }
        };
    }

    private static ListenersMXBean listeners(Supplier<Snapshot> latest) {
        return new ListenersMXBean() {
            @Override
            public Map<String, Integer> getConnections() {
                return byName(latest.get().listeners(), ListenerStatus::name, ListenerStatus::connections);
            }

            @Override
            public Map<String, Long> getMessagesAccepted() {
                return byName(latest.get().listeners(), ListenerStatus::name, ListenerStatus::messagesAccepted);
            }

            @Override
            public Map<String, Long> getAuthFailures() {
                return byName(latest.get().listenerCounters(), ListenerCounters::name, ListenerCounters::authFailures);
            }

            @Override
            public Map<String, Long> getTlsHandshakes() {
                return byName(latest.get().listenerCounters(), ListenerCounters::name, ListenerCounters::tlsHandshakes);
            }

            @Override
            public Map<String, Long> getTlsHandshakeFailures() {
                return byName(latest.get().listenerCounters(), ListenerCounters::name, ListenerCounters::tlsHandshakeFailures);
            }

            @Override
            public Map<String, String> getRefusals() {
                return byName(latest.get().listenerCounters(), ListenerCounters::name, c -> c.refusals().toString());
            }

            @Override
            public Map<String, String> getStates() {
                return byName(latest.get().listeners(), ListenerStatus::name,
                        l -> l.state() + (l.detail().isEmpty() ? "" : ": " + l.detail()));
            }
        };
    }

    private static AccountsMXBean accounts(Supplier<Snapshot> latest) {
        return new AccountsMXBean() {
            @Override
            public Map<String, Long> getRetrieved() {
                return byName(latest.get().accounts(), AccountStatus::name, AccountStatus::retrieved);
            }

            @Override
            public Map<String, Long> getPendingHandOffs() {
                return byName(latest.get().accounts(), AccountStatus::name, AccountStatus::pending);
            }

            @Override
            public Map<String, String> getLastSync() {
                return byName(latest.get().accounts().stream().filter(a -> a.lastSync().isPresent()).toList(),
                        AccountStatus::name, a -> a.lastSync().get().toString());
            }

            @Override
            public Map<String, String> getLastErrors() {
                return byName(latest.get().accounts().stream().filter(a -> a.lastError().isPresent()).toList(),
                        AccountStatus::name, a -> a.lastError().get());
            }
        };
    }

    private static DeliveryMXBean delivery(Supplier<Snapshot> latest) {
        return new DeliveryMXBean() {
            @Override
            public Map<String, Long> getDelivered() {
                return byName(latest.get().routes(), RouteStatistics::route, RouteStatistics::delivered);
            }

            @Override
            public Map<String, Long> getDeferred() {
                return byName(latest.get().routes(), RouteStatistics::route, RouteStatistics::deferred);
            }

            @Override
            public Map<String, Long> getBounced() {
                return byName(latest.get().routes(), RouteStatistics::route, RouteStatistics::bounced);
            }

            @Override
            public Map<String, Double> getMeanAttemptMillis() {
                return byName(latest.get().routes().stream().filter(r -> r.attempts() > 0).toList(), RouteStatistics::route,
                        r -> r.attemptTime().toNanos() / 1e6 / r.attempts());
            }

            @Override
            public List<String> getSuspendedDestinations() {
                return latest.get().suspended();
            }
        };
    }

    private static CryptoMXBean crypto(Supplier<Snapshot> latest) {
        Function<CryptoStatistics.Figures, String> name = f -> f.technology().configName();
        return new CryptoMXBean() {
            @Override
            public Map<String, Long> getProtected() {
                return byName(latest.get().crypto(), name, CryptoStatistics.Figures::protectedMessages);
            }

            @Override
            public Map<String, Long> getProtectFailures() {
                return byName(latest.get().crypto(), name, CryptoStatistics.Figures::protectFailures);
            }

            @Override
            public Map<String, Long> getOpened() {
                return byName(latest.get().crypto(), name, CryptoStatistics.Figures::opened);
            }

            @Override
            public Map<String, Long> getOpenFailures() {
                return byName(latest.get().crypto(), name, CryptoStatistics.Figures::openFailures);
            }
        };
    }

    private static TlsMXBean tls(Supplier<Snapshot> latest) {
        return new TlsMXBean() {
            @Override
            public String getIdentitySubject() {
                return identity().map(TlsIdentity::subject).orElse("");
            }

            @Override
            public String getIdentityNotAfter() {
                return identity().map(id -> id.notAfter().toString()).orElse("");
            }

            @Override
            public long getSecondsUntilExpiry() {
                Snapshot snapshot = latest.get();
                return identity().map(id -> Duration.between(snapshot.at(), id.notAfter()).toSeconds()).orElse(-1L);
            }

            @Override
            public String getLastError() {
                return latest.get().tls().flatMap(TlsStatus::lastError).orElse("");
            }

            private java.util.Optional<TlsIdentity> identity() {
                return latest.get().tls().flatMap(TlsStatus::identity);
            }
        };
    }

    private static <T, V> Map<String, V> byName(List<T> items, Function<T, String> name, Function<T, V> value) {
        Map<String, V> map = new LinkedHashMap<>();
        items.forEach(item -> map.put(name.apply(item), value.apply(item)));
        return map;
    }
}
