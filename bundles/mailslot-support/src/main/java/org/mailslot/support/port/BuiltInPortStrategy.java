package org.mailslot.support.port;

import org.mailslot.api.port.AuthPolicy;
import org.mailslot.api.port.PortRole;
import org.mailslot.api.port.PortStrategy;
import org.mailslot.api.port.TlsMode;

/**
 * A port strategy Mailslot ships: the rows of DESIGN.md's ports table (transport) and the mailbox-access
 * ports (retrieval), each registered by a component of its own so that {@code mailslot:ports} shows them one
 * by one and an operator can disable one alone or replace it with a higher-ranked {@code org.mailslot.port}
 * configuration.
 */
public abstract class BuiltInPortStrategy implements PortStrategy {

    /** The {@link PortStrategy#ORIGIN} of every built-in strategy. */
    public static final String ORIGIN = "built-in";

    private final PortStrategy definition;

    protected BuiltInPortStrategy(int port, PortRole role, TlsMode tlsMode, AuthPolicy authPolicy) {
        this.definition = PortStrategy.of(port, role, tlsMode, authPolicy);
    }

    @Override
    public int port() {
        return definition.port();
    }

    @Override
    public PortRole role() {
        return definition.role();
    }

    @Override
    public TlsMode tlsMode() {
        return definition.tlsMode();
    }

    @Override
    public AuthPolicy authPolicy() {
        return definition.authPolicy();
    }

    @Override
    public String toString() {
        return definition.toString();
    }
}
