/**
 * Port strategies: the behaviour of an SMTP port role, shared by the listeners that serve it and
 * the delivery client that connects to it, and the mailbox-access ports (IMAP, POP3) that
 * retrieval connects to.
 *
 * <p>A strategy is registered as a {@link org.mailslot.api.port.PortStrategy} service with the
 * {@value org.mailslot.api.port.PortStrategy#PORT} property. For one port, the service with the
 * highest {@code service.ranking} wins; Mailslot's built-in strategies for 25, 465, 587 and
 * 2525 register with ranking 0, so an operator's factory configuration or a third party's
 * service with a higher ranking replaces one without touching Mailslot's bundles.
 */
@Export
@Version("1.2.1")
package org.mailslot.api.port;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
