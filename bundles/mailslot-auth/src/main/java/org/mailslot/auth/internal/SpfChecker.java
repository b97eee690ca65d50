package org.mailslot.auth.internal;

import java.net.InetAddress;
import java.util.Objects;

import org.mailslot.api.auth.SpfCheck;
import org.mailslot.api.auth.SpfIdentity;
import org.mailslot.api.auth.SpfResult;
import org.mailslot.support.dns.DnsQuery;

/** The two SPF identities of RFC 7208 section 2.3 and 2.4, each one {@link SpfEvaluation}. Thread-safe. */
final class SpfChecker {

    private final DnsQuery dns;
    private final String receiver;

    /**
     * @param dns where records come from
     * @param receiver this host's name ({@code %{r}} in explanations)
     */
    SpfChecker(DnsQuery dns, String receiver) {
        this.dns = dns;
        this.receiver = receiver;
    }

    SpfCheck checkMailFrom(InetAddress client, String helo, String mailFrom) {
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(helo, "helo");
        Objects.requireNonNull(mailFrom, "mailFrom");
        if (mailFrom.isEmpty()) {
            SpfCheck asHelo = checkHelo(client, helo);
            return new SpfCheck(SpfIdentity.MAILFROM, asHelo.domain(), "postmaster@" + helo, asHelo.result(), asHelo.reason());
        }
        int at = mailFrom.lastIndexOf('@');
        String domain = DomainNames.domainOf(mailFrom);
        String sender = at <= 0 ? "postmaster@" + domain : mailFrom;
        return check(SpfIdentity.MAILFROM, client, helo, sender, domain);
    }

    SpfCheck checkHelo(InetAddress client, String helo) {
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(helo, "helo");
        return check(SpfIdentity.HELO, client, helo, "postmaster@" + helo, DomainNames.normalize(helo));
    }

    private SpfCheck check(SpfIdentity identity, InetAddress client, String helo, String sender, String domain) {
        String subject = identity == SpfIdentity.HELO ? helo : sender;
        if (domain.startsWith("[") || !DomainNames.isMultiLabel(domain)) {
            return new SpfCheck(identity, "", subject, SpfResult.NONE, "'" + domain + "' is not a domain SPF can check");
        }
        SpfEvaluation.Outcome outcome = new SpfEvaluation(dns, sender, client, helo, receiver).checkHost(domain);
        return new SpfCheck(identity, domain, subject, outcome.result(), outcome.reason());
    }
}
