package org.mailslot.transport.internal;

import org.mailslot.api.port.AuthPolicy;
import org.mailslot.api.port.PortRole;
import org.mailslot.api.port.PortStrategy;
import org.mailslot.api.port.TlsMode;
import org.mailslot.support.port.BuiltInPortStrategy;
import org.osgi.service.component.annotations.Component;

/** Message submission, STARTTLS required before AUTH or MAIL (RFC 6409). */
@Component(
        name = "org.mailslot.port.submission",
        service = PortStrategy.class,
        property = {PortStrategy.PORT + ":Integer=587", PortStrategy.ROLE + "=submission", PortStrategy.TLS_MODE + "=starttls-required",
            PortStrategy.AUTH_POLICY + "=required", PortStrategy.ORIGIN + "=" + BuiltInPortStrategy.ORIGIN})
public final class Submission587Strategy extends BuiltInPortStrategy {

    public Submission587Strategy() {
        super(587, PortRole.SUBMISSION, TlsMode.STARTTLS_REQUIRED, AuthPolicy.REQUIRED);
    }
}
