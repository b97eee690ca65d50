/**
 * End-to-end protection of messages: OpenPGP (PGP/MIME, RFC 3156) and S/MIME 4.0 (RFC 8551).
 * Each technology is a bundle that registers {@link org.mailslot.api.crypto.MessageCrypto} and
 * {@link org.mailslot.api.crypto.CryptoKeys}; either may be stopped, replaced or absent.
 */
@Export
@Version("1.3.0")
package org.mailslot.api.crypto;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
