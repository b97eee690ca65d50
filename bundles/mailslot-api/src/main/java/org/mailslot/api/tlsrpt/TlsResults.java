package org.mailslot.api.tlsrpt;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Takes the outcome of each TLS session of MX delivery, to be counted in the day's reports.
 *
 * <p>Lifecycle: a service while TLS reporting is on; the transport records nothing without it.
 *
 * <p>Threading: called by every delivery thread, on the delivery's path: {@link #record} is
 * thread-safe, never blocks on I/O and returns at once.
 *
 * <p>Failure: it never throws; a result it cannot keep is lost to the report, never to the delivery.
 */
@ProviderType
public interface TlsResults {

    /** @param result the outcome of one session */
    void record(TlsSessionResult result);
}
