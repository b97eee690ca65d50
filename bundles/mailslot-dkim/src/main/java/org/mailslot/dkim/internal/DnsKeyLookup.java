package org.mailslot.dkim.internal;

import org.mailslot.support.dns.DnsAnswer;
import org.mailslot.support.dns.DnsQuery;
import org.xbill.DNS.Type;

/**
 * Key records by TXT queries of the shared DNS ({@code org.mailslot.mx resolver}, cached or not, as
 * the query given). NXDOMAIN and an answer without TXT records are missing keys; a timeout, SERVFAIL
 * or network error is a failure to be retried, never a missing key.
 */
final class DnsKeyLookup implements KeyLookup {

    private final DnsQuery dns;

    DnsKeyLookup(DnsQuery dns) {
        this.dns = dns;
    }

    @Override
    public KeyAnswer lookup(String name) {
        DnsAnswer answer = dns.query(name, Type.TXT);
        return switch (answer.kind()) {
            case FOUND -> answer.texts().isEmpty() ? KeyAnswer.missing("no TXT record at " + name)
                    : KeyAnswer.found(answer.texts(), answer.ttlSeconds());
            case NXDOMAIN -> KeyAnswer.missing("no key record at " + name + " (NXDOMAIN)");
            case NODATA -> KeyAnswer.missing("no TXT record at " + name);
            case FAILED -> KeyAnswer.failed(answer.error());
        };
    }

    @Override
    public String toString() {
        return dns.toString();
    }
}
