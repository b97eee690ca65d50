package org.mailslot.dkim.internal;

/** Finds the TXT records at a key record name ({@code selector._domainkey.domain}). Thread-safe. */
@FunctionalInterface
interface KeyLookup {

    /** @param name the DNS name, without the final dot; @return what DNS said, never null */
    KeyAnswer lookup(String name);
}
