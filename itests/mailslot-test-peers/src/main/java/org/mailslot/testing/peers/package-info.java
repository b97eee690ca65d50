/**
 * Real protocol peers for Mailslot's interoperability tests: Postfix ({@link
 * org.mailslot.testing.peers.PostfixPeer}, {@link org.mailslot.testing.peers.SmtpSink}), Dovecot
 * ({@link org.mailslot.testing.peers.DovecotPeer}), swaks ({@link org.mailslot.testing.peers.Swaks})
 * and a throw-away certificate authority ({@link org.mailslot.testing.peers.TestCa}).
 *
 * <p>Every peer runs from Debian's packages (listed in this module's {@code PACKAGES} file) with a
 * private configuration, state, queue and log directory under a temporary directory, listens only on
 * a loopback address other than 127.0.0.1 (127.0.0.2 for Postfix, 127.0.0.3 for Dovecot, 127.0.0.4
 * for smtp-sink by default), and stops every process it started when closed. The daemons need root
 * (they bind privileged ports and switch users), as on the project's machines and CI.
 *
 * <p>Set the system property {@code mailslot.peers.keep=true} to keep a peer's directory after
 * {@code close()} for inspection.
 */
package org.mailslot.testing.peers;
