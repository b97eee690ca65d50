/**
 * The mail log: typed events of a message's life (received, queued, delivered or not, noticed,
 * removed) and the one formatter that writes them as Postfix's log lines. Copied privately into
 * each user by bnd.
 */
package org.mailslot.support.maillog;
