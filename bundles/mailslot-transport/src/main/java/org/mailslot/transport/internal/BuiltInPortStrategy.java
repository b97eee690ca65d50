package org.mailslot.transport.internal;

import org.mailslot.api.port.AuthPolicy;
import org.mailslot.api.port.PortRole;
import org.mailslot.api.port.PortStrategy;
import org.mailslot.api.port.TlsMode;

/**
 * The four rows of DESIGN.md's ports table, each registered by a component of its own so that
 * {@code mailslot:status} shows them one by one and an operator can disable one alone.
 */
abstract class BuiltInPortStrategy implements PortStrategy {

    static final String ORIGIN = "built-in";

    private final PortStrategy definition;

    BuiltInPortStrategy(int port, PortRole role, TlsMode tlsMode, AuthPolicy authPolicy) {
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
