package org.mailslot.transport.internal;

import org.mailslot.api.port.AuthPolicy;
import org.mailslot.api.port.PortRole;
import org.mailslot.api.port.PortStrategy;
import org.mailslot.api.port.TlsMode;
import org.mailslot.support.port.BuiltInPortStrategy;
import org.osgi.service.component.annotations.Component;

/** Alternate submission for networks that block the standard ports. */
@Component(
        name = "org.mailslot.port.alternate",
        service = PortStrategy.class,
        property = {PortStrategy.PORT + ":Integer=2525", PortStrategy.ROLE + "=alternate", PortStrategy.TLS_MODE + "=starttls-required",
            PortStrategy.AUTH_POLICY + "=required", PortStrategy.ORIGIN + "=" + BuiltInPortStrategy.ORIGIN})
public final class Alternate2525Strategy extends BuiltInPortStrategy {

    public Alternate2525Strategy() {
        super(2525, PortRole.ALTERNATE, TlsMode.STARTTLS_REQUIRED, AuthPolicy.REQUIRED);
    }
}
