/**
 * Operating the spool: the messages accepted and not yet delivered or bounced.
 *
 * <p>{@link org.mailslot.api.spool.MailQueue} is what an operator sees and acts on
 * ({@code mailslot:queue}); it is provided by whatever keeps the spool (files on a local disk
 * today, a message broker perhaps tomorrow), together with
 * {@link org.mailslot.api.submission.MailSubmission} for accepting mail into it.
 */
@Export
@Version("1.2.0")
package org.mailslot.api.spool;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
