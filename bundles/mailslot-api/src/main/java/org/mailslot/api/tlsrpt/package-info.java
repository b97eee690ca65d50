/**
 * SMTP TLS reporting (RFC 8460): what MX delivery tells the reporter about each TLS session it
 * attempted ({@link org.mailslot.api.tlsrpt.TlsResults}, {@link org.mailslot.api.tlsrpt.TlsSessionResult}),
 * and the daily aggregate reports made of them ({@link org.mailslot.api.tlsrpt.TlsReports}).
 */
@Export
@Version("1.0.0")
package org.mailslot.api.tlsrpt;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
