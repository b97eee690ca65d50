/**
 * DKIM (RFC 6376, RFC 8463): typed verification results that later checks (DMARC, the inbound
 * listener, retrieval) build on, the {@link org.mailslot.api.dkim.DkimVerifier} service (and
 * {@link org.mailslot.api.dkim.SignatureVerifier} for DKIM and ARC in one reading), and
 * {@link org.mailslot.api.dkim.DkimKeys} for managing signing keys.
 */
@Export
@Version("1.3.0")
package org.mailslot.api.dkim;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
