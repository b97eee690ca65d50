package org.mailslot.api.tlsrpt;

import java.time.LocalDate;
import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The daily TLS reports (RFC 8460) of the sessions {@link TlsResults} counted, for operators: made on
 * demand ({@code mailslot:tls-report}) besides the daily run.
 *
 * <p>Threading: thread-safe; sending looks up DNS and connects out, so it takes seconds.
 *
 * <p>Failure: a destination that cannot be reached is said in the run's destinations, never thrown.
 */
@ProviderType
public interface TlsReports {

    /**
     * @param day a UTC day; today's report covers the sessions counted so far
     * @param send whether to send each report to the {@code rua} of its domain's {@code _smtp._tls} TXT
     *     record (by mail and HTTPS POST), as the daily run does
     * @return one report per policy domain with sessions that day, by domain
     */
    List<TlsReportRun> report(LocalDate day, boolean send);
}
