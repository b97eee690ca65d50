package org.mailslot.transport.internal.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.mailslot.api.mail.MessageSource;

class TlsRequiredHeaderTest {

    private static MessageSource message(String text) {
        return MessageSource.of(text.getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void readsTheFieldOfTheHeaderSectionInAnyCase() {
        assertThat(TlsRequiredHeader.saysNo(message("Subject: report\r\nTLS-Required: No\r\n\r\nbody\r\n"))).isTrue();
        assertThat(TlsRequiredHeader.saysNo(message("tls-required:  no \r\nSubject: x\r\n\r\nbody\r\n"))).isTrue();
    }

    @Test
    void anythingElseKeepsThePolicy() {
        assertThat(TlsRequiredHeader.saysNo(message("Subject: x\r\n\r\nTLS-Required: No\r\n"))).isFalse();
        assertThat(TlsRequiredHeader.saysNo(message("TLS-Required: Yes\r\n\r\nbody\r\n"))).isFalse();
        assertThat(TlsRequiredHeader.saysNo(message("X-TLS-Required: No\r\n\r\nbody\r\n"))).isFalse();
        assertThat(TlsRequiredHeader.saysNo(() -> {
            throw new IOException("gone");
        })).isFalse();
    }
}
