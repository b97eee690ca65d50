package org.mailslot.api.transport;

import org.osgi.annotation.versioning.ProviderType;

/** What became of one recipient in one delivery. */
@ProviderType
public enum DeliveryStatus {
    /** The next hop accepted responsibility (2xx after DATA). */
    ACCEPTED,
    /** Try again later: a 4xx reply, or no port of the route could be used right now. */
    TEMPORARY_FAILURE,
    /** Do not try again: a 5xx reply, or the route can never carry this message. */
    PERMANENT_FAILURE
}
