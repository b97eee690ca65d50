/**
 * Delivering mail to other SMTP servers: routes, per-recipient outcomes, and probing a host's
 * ports.
 *
 * <p>{@link org.mailslot.api.transport.MailTransport} delivers one message over one
 * {@link org.mailslot.api.transport.Route}, trying the route's ports in order under their
 * {@linkplain org.mailslot.api.port.PortStrategy port strategies}; it never sends credentials or
 * a message that requires TLS in clear, and a certificate that fails verification fails the
 * route rather than being a reason to try cleartext.
 */
@Export
@Version("2.1.0")
package org.mailslot.api.transport;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
