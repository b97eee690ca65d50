package org.mailslot.smtp.internal;

import java.util.Comparator;
import java.util.List;

import org.mailslot.api.listener.ListenerCounters;
import org.mailslot.api.listener.ListenerStatus;
import org.mailslot.api.listener.Listeners;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/** The listeners of this bundle, for {@code mailslot:listeners}. */
// Immediate: the shell looks it up while listeners are being replaced, and a delayed component would
// then have to be activated under SCR's lock, which can time out and hand the command nothing.
@Component(name = "org.mailslot.listeners", service = Listeners.class, immediate = true)
public final class ListenersService implements Listeners {

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    volatile List<ListenerHandle> handles;

    @Override
    public List<ListenerStatus> listeners() {
        List<ListenerHandle> current = handles;
        return current == null ? List.of()
                : current.stream().map(ListenerHandle::status).sorted(Comparator.comparing(ListenerStatus::name)).toList();
    }

    @Override
    public List<ListenerCounters> counters() {
        List<ListenerHandle> current = handles;
        return current == null ? List.of()
                : current.stream().map(ListenerHandle::counters).sorted(Comparator.comparing(ListenerCounters::name)).toList();
    }
}
