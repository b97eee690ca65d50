package org.mailslot.metrics.internal;

import java.util.List;
import java.util.Map;

/** {@code org.mailslot:type=Delivery}: the spool's deliveries by route since it started. */
public interface DeliveryMXBean {

    Map<String, Long> getDelivered();

    Map<String, Long> getDeferred();

    Map<String, Long> getBounced();

    /** @return each route's mean attempt time in milliseconds */
    Map<String, Double> getMeanAttemptMillis();

    /** @return the destinations whose delivery is suspended now, with why */
    List<String> getSuspendedDestinations();
}
