/**
 * TLS for Mailslot's listeners and clients: server contexts built from the configured identity,
 * client contexts that trust the JDK's anchors plus the operator's, and the state of that
 * material for operators.
 *
 * <p>The {@link org.mailslot.api.tls.TlsService} is the only source of TLS in Mailslot: the SMTP
 * listeners take their server engines from it (STARTTLS and implicit TLS), the delivery client
 * and the IMAP/POP3 retrieval take their client socket factories from it, so one configuration
 * ({@code org.mailslot.tls}) decides protocols, cipher suites, identity and trust everywhere.
 */
@Export
@Version("1.1.0")
package org.mailslot.api.tls;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
