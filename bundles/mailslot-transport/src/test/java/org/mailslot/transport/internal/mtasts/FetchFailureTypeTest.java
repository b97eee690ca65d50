package org.mailslot.transport.internal.mtasts;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;

import org.junit.jupiter.api.Test;
import org.mailslot.api.tlsrpt.TlsResultType;

class FetchFailureTypeTest {

    @Test
    void aFailedFetchIsReportedWithItsRfc8460Type() {
        assertThat(MtaStsComponent.resultType(new IOException("https://mta-sts.a.test/.well-known/mta-sts.txt could not"
                + " be fetched: 127.0.0.21: PKIX path building failed"))).isEqualTo(TlsResultType.STS_WEBPKI_INVALID);
        assertThat(MtaStsComponent.resultType(new IOException("https://mta-sts.a.test/.well-known/mta-sts.txt is not a"
                + " valid policy: no mode"))).isEqualTo(TlsResultType.STS_POLICY_INVALID);
        assertThat(MtaStsComponent.resultType(new IOException("https://mta-sts.a.test/.well-known/mta-sts.txt: answered"
                + " 404 Not Found"))).isEqualTo(TlsResultType.STS_POLICY_FETCH_ERROR);
    }
}
