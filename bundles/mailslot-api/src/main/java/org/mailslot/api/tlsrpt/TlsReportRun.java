package org.mailslot.api.tlsrpt;

import java.time.LocalDate;
import java.util.List;
import java.util.Objects;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The report of one policy domain for one day, as made (and, when asked, sent). Immutable.
 *
 * @param day the UTC day the report covers
 * @param policyDomain the recipient domain it is about
 * @param reportId its {@code report-id}
 * @param successes the sessions that succeeded
 * @param failures the sessions that failed
 * @param json the report (RFC 8460 section 4.4), uncompressed
 * @param destinations one line per {@code rua} destination and what became of it
 *     ({@code mailto:tlsrpt@example.com: queued}, {@code https://...: HTTP 200}); empty when the domain
 *     publishes no TLSRPT record or the report was not sent
 */
@ProviderType
public record TlsReportRun(LocalDate day, String policyDomain, String reportId, long successes, long failures,
        String json, List<String> destinations) {

    public TlsReportRun {
        Objects.requireNonNull(day, "day");
        Objects.requireNonNull(policyDomain, "policyDomain");
        Objects.requireNonNull(reportId, "reportId");
        Objects.requireNonNull(json, "json");
        destinations = List.copyOf(destinations);
    }
}
