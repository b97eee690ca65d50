package org.mailslot.crypto.internal;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

import org.mailslot.api.crypto.CryptoStatistics;
import org.mailslot.api.crypto.CryptoTechnology;
import org.osgi.service.component.annotations.Component;

/**
 * The bundle's crypto counters, shared by the outbound policy and the inbound opener (one set per
 * bundle, as the bundle is one policy), and handed out as {@link CryptoStatistics}.
 */
@Component(service = CryptoStatistics.class)
public final class CryptoCounters implements CryptoStatistics {

    private static final class Technology {
        final LongAdder protectedMessages = new LongAdder();
        final LongAdder protectFailures = new LongAdder();
        final LongAdder opened = new LongAdder();
        final LongAdder openFailures = new LongAdder();
    }

    private static final Technology[] COUNTERS = Arrays.stream(CryptoTechnology.values()).map(t -> new Technology())
            .toArray(Technology[]::new);

    static void protectedMessage(CryptoTechnology technology, boolean done) {
        Technology counters = COUNTERS[technology.ordinal()];
        (done ? counters.protectedMessages : counters.protectFailures).increment();
    }

    static void opened(CryptoTechnology technology, boolean done) {
        Technology counters = COUNTERS[technology.ordinal()];
        (done ? counters.opened : counters.openFailures).increment();
    }

    @Override
    public List<Figures> figures() {
        return Arrays.stream(CryptoTechnology.values()).map(t -> {
            Technology c = COUNTERS[t.ordinal()];
            return new Figures(t, c.protectedMessages.sum(), c.protectFailures.sum(), c.opened.sum(), c.openFailures.sum());
        }).toList();
    }
}
