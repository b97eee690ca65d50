/**
 * The queue-store SPI: what keeps the queue, apart from what decides about it.
 *
 * <p>A {@link org.mailslot.api.queue.QueueStore} keeps messages and their delivery state durably
 * (files on a local disk, or a message broker shared by several Mailslot nodes) and hands due
 * messages out under a {@link org.mailslot.api.queue.Lease}. The delivery scheduler, the one
 * {@link org.mailslot.api.queue.QueueConsumer} of a store, decides everything else: when a message
 * is due again, what each recipient's attempt came to, which notices the sender is owed. It tells
 * the store with one {@link org.mailslot.api.queue.AttemptOutcome} per attempt, which the store
 * records with the notices it causes as one change.
 *
 * <p>The operator's actions ({@link org.mailslot.api.spool.MailQueue}) are the store's: any node
 * sharing the store sees and changes the same queue.
 */
@Export
@Version("1.0.0")
package org.mailslot.api.queue;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
