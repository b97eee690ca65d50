package org.mailslot.transport.internal.delivery;

import java.nio.file.Path;

import org.mailslot.tls.internal.TlsServiceImpl;

/** {@link TestTls} for tests of other packages. */
public final class TestTlsAccess {

    private TestTlsAccess() {
    }

    /** @see TestTls#service(Path, Path) */
    public static TlsServiceImpl service(Path identity, Path trust) {
        return TestTls.service(identity, trust);
    }
}
