package org.mailslot.metrics.internal;

import java.util.Map;

/** {@code org.mailslot:type=Crypto}: the crypto policy's messages by technology ({@code pgp}, {@code smime}). */
public interface CryptoMXBean {

    Map<String, Long> getProtected();

    Map<String, Long> getProtectFailures();

    Map<String, Long> getOpened();

    Map<String, Long> getOpenFailures();
}
