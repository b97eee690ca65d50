/**
 * Mail value types: addresses and envelopes, validated on construction.
 *
 * <p>Every type here is immutable and safe to share between threads. Constructors and factory
 * methods refuse input that could not travel safely in an SMTP command or a message header —
 * CR, LF and NUL above all — with an {@link java.lang.IllegalArgumentException} whose message
 * names the offending character and its position, so that callers can pass it on to a user.
 */
@Export
@Version("1.3.0")
package org.mailslot.api.mail;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
