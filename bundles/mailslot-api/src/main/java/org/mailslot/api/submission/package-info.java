/**
 * Handing mail to Mailslot from inside the container.
 *
 * <p>{@link org.mailslot.api.submission.MailSubmission} is the in-container equivalent of an
 * authenticated SMTP submission: a co-located bundle gives an envelope and the RFC 5322 bytes
 * and gets a receipt once the message is durably stored.
 */
@Export
@Version("2.0.0")
package org.mailslot.api.submission;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
