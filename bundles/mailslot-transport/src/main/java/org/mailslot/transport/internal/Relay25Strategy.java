package org.mailslot.transport.internal;

import org.mailslot.api.port.AuthPolicy;
import org.mailslot.api.port.PortRole;
import org.mailslot.api.port.PortStrategy;
import org.mailslot.api.port.TlsMode;
import org.mailslot.support.port.BuiltInPortStrategy;
import org.osgi.service.component.annotations.Component;

/**
 * MTA to MTA relay with opportunistic STARTTLS (RFC 5321, 3207). AUTH is optional: never needed for
 * mail to local domains, offered and sent only over TLS, where it lets a client relay.
 */
@Component(
        name = "org.mailslot.port.relay",
        service = PortStrategy.class,
        property = {PortStrategy.PORT + ":Integer=25", PortStrategy.ROLE + "=relay", PortStrategy.TLS_MODE + "=starttls-opportunistic",
            PortStrategy.AUTH_POLICY + "=optional", PortStrategy.ORIGIN + "=" + BuiltInPortStrategy.ORIGIN})
public final class Relay25Strategy extends BuiltInPortStrategy {

    public Relay25Strategy() {
        super(25, PortRole.RELAY, TlsMode.STARTTLS_OPPORTUNISTIC, AuthPolicy.OPTIONAL);
    }
}
