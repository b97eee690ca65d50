package org.mailslot.transport.internal.probe;

import org.mailslot.api.tls.TlsService;
import org.mailslot.transport.internal.delivery.mx.MxRouting;

/** For tests in other packages: a prober with an MX route of their own. */
public final class ProbeAccess {

    private ProbeAccess() {
    }

    public static SocketSmtpProber prober(TlsService tls, MxRouting mx) {
        SocketSmtpProber prober = new SocketSmtpProber(tls);
        prober.setMx(mx);
        return prober;
    }
}
