package org.mailslot.smtp.internal;

import org.mailslot.api.listener.ListenerCounters;
import org.mailslot.api.listener.ListenerStatus;

/** What each listener component registers, so that {@link ListenersService} can list them. */
interface ListenerHandle {

    ListenerStatus status();

    ListenerCounters counters();
}
