/**
 * Sender authentication of received mail: SPF (RFC 7208) and, building on DKIM
 * ({@link org.mailslot.api.dkim}), DMARC (RFC 7489), as typed results that the inbound listener,
 * retrieval handlers and {@code Authentication-Results} (RFC 8601) share.
 */
@Export
@Version("1.0.0")
package org.mailslot.api.auth;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
