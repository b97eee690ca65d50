package org.mailslot.smtp.internal;

import java.util.Comparator;
import java.util.List;

import org.mailslot.api.listener.ListenerStatus;
import org.mailslot.api.listener.Listeners;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/** The listeners of this bundle, for {@code mailslot:listeners}. */
@Component(name = "org.mailslot.listeners", service = Listeners.class)
public final class ListenersService implements Listeners {

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    volatile List<ListenerHandle> handles;

    @Override
    public List<ListenerStatus> listeners() {
        List<ListenerHandle> current = handles;
        return current == null ? List.of()
                : current.stream().map(ListenerHandle::status).sorted(Comparator.comparing(ListenerStatus::name)).toList();
    }
}
