package org.mailslot.transport.internal;

import org.mailslot.api.port.AuthPolicy;
import org.mailslot.api.port.PortRole;
import org.mailslot.api.port.PortStrategy;
import org.mailslot.api.port.TlsMode;
import org.mailslot.support.port.BuiltInPortStrategy;
import org.osgi.service.component.annotations.Component;

/** Message submission over implicit TLS (RFC 8314). */
@Component(
        name = "org.mailslot.port.submissions",
        service = PortStrategy.class,
        property = {PortStrategy.PORT + ":Integer=465", PortStrategy.ROLE + "=submissions", PortStrategy.TLS_MODE + "=implicit",
            PortStrategy.AUTH_POLICY + "=required", PortStrategy.ORIGIN + "=" + BuiltInPortStrategy.ORIGIN})
public final class Submissions465Strategy extends BuiltInPortStrategy {

    public Submissions465Strategy() {
        super(465, PortRole.SUBMISSIONS, TlsMode.IMPLICIT, AuthPolicy.REQUIRED);
    }
}
