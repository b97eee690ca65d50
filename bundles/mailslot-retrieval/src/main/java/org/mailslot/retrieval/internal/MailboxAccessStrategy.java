package org.mailslot.retrieval.internal;

import org.mailslot.api.port.AuthPolicy;
import org.mailslot.api.port.PortRole;
import org.mailslot.api.port.PortStrategy;
import org.mailslot.api.port.TlsMode;
import org.mailslot.support.port.BuiltInPortStrategy;
import org.osgi.service.component.annotations.Component;

/**
 * The built-in strategies of the mailbox-access ports retrieval connects to (RFC 8314): 993 and
 * 995 implicit TLS, 143 (IMAP STARTTLS) and 110 (POP3 STLS) with TLS required.
 */
abstract class MailboxAccessStrategy extends BuiltInPortStrategy {

    MailboxAccessStrategy(int port, TlsMode mode) {
        super(port, PortRole.MAILBOX_ACCESS, mode, AuthPolicy.REQUIRED);
    }

    /** IMAP over implicit TLS. */
    @Component(name = "org.mailslot.port.imaps", service = PortStrategy.class,
            property = {PortStrategy.PORT + ":Integer=993", PortStrategy.ORIGIN + "=" + ORIGIN})
    public static final class Imaps extends MailboxAccessStrategy {
        public Imaps() {
            super(993, TlsMode.IMPLICIT);
        }
    }

    /** IMAP with STARTTLS required. */
    @Component(name = "org.mailslot.port.imap", service = PortStrategy.class,
            property = {PortStrategy.PORT + ":Integer=143", PortStrategy.ORIGIN + "=" + ORIGIN})
    public static final class Imap extends MailboxAccessStrategy {
        public Imap() {
            super(143, TlsMode.STARTTLS_REQUIRED);
        }
    }

    /** POP3 over implicit TLS. */
    @Component(name = "org.mailslot.port.pop3s", service = PortStrategy.class,
            property = {PortStrategy.PORT + ":Integer=995", PortStrategy.ORIGIN + "=" + ORIGIN})
    public static final class Pop3s extends MailboxAccessStrategy {
        public Pop3s() {
            super(995, TlsMode.IMPLICIT);
        }
    }

    /** POP3 with STLS required. */
    @Component(name = "org.mailslot.port.pop3", service = PortStrategy.class,
            property = {PortStrategy.PORT + ":Integer=110", PortStrategy.ORIGIN + "=" + ORIGIN})
    public static final class Pop3 extends MailboxAccessStrategy {
        public Pop3() {
            super(110, TlsMode.STARTTLS_REQUIRED);
        }
    }
}
