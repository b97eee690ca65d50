package org.mailslot.support.dns;

/** Asks DNS for the records of one type at one name. Implementations are thread-safe. */
public interface DnsQuery {

    /**
     * @param name a domain name, with or without the final dot
     * @param type a dnsjava {@code Type} constant
     * @return the answer; never throws for DNS trouble
     */
    DnsAnswer query(String name, int type);
}
