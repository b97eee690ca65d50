package org.mailslot.metrics.internal;

/** {@code org.mailslot:type=Tls}: the server identity; empty and -1 while none is loaded. */
public interface TlsMXBean {

    String getIdentitySubject();

    /** @return when the certificate stops being valid, ISO-8601 */
    String getIdentityNotAfter();

    long getSecondsUntilExpiry();

    /** @return the problem with the configured material, empty when it loads */
    String getLastError();
}
