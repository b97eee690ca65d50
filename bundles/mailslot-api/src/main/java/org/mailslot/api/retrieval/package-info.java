/**
 * Retrieval: IMAP and POP3 accounts fetched exactly once, run through the inbound pipeline
 * ({@link org.mailslot.api.retrieval.InboundProcessor}) and handed to every
 * {@link org.mailslot.api.retrieval.MessageHandler} (a whiteboard).
 */
@Export
@Version("1.1.0")
package org.mailslot.api.retrieval;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
