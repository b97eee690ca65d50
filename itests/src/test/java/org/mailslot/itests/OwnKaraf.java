package org.mailslot.itests;

/**
 * The category of the integration tests that start a Karaf of their own: a configuration other than the
 * suite's, a stock Karaf, or distributions they unpack, start and kill themselves. Failsafe's
 * {@code own-karaf} execution runs them one at a time after the others, which share one Karaf for the
 * whole run ({@code PerSuite}).
 */
public interface OwnKaraf {
}
