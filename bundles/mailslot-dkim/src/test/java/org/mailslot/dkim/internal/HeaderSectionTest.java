package org.mailslot.dkim.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.InputStream;

import org.junit.jupiter.api.Test;

/** The header section is read in blocks and the stream is left at the body's first octet. */
class HeaderSectionTest {

    @Test
    void aHeaderLongerThanOneBlockLeavesTheStreamAtTheBody() throws Exception {
        StringBuilder header = new StringBuilder();
        for (int i = 0; header.length() < 3 * 8192; i++) {
            header.append("Received: from host").append(i).append(".example.net by mx.example.org;\n\t")
                    .append("Mon, 07 Dec 2026 04:00:00 +0000\n");
        }
        byte[] message = Messages.crlf(header + "From: a@example.org\n\nThe body\nends here\n");
        InputStream in = new BufferedInputStream(new ByteArrayInputStream(message), 8192);

        HeaderSection headers = HeaderSection.read(in);

        assertThat(headers.named("From")).hasSize(1);
        assertThat(headers.fields().get(headers.fields().size() - 1).value()).isEqualTo(" a@example.org");
        assertThat(headers.named("Received").get(0).raw()).asString().endsWith("+0000").contains("\r\n\t");
        assertThat(Messages.text(in.readAllBytes())).isEqualTo("The body\r\nends here\r\n");
    }

    @Test
    void aMessageWithoutHeaderOrWithoutBody() throws Exception {
        InputStream bodyOnly = new ByteArrayInputStream(Messages.crlf("\nonly a body\n"));
        assertThat(HeaderSection.read(bodyOnly).fields()).isEmpty();
        assertThat(Messages.text(bodyOnly.readAllBytes())).isEqualTo("only a body\r\n");

        InputStream headerOnly = new ByteArrayInputStream(Messages.crlf("From: a@example.org\nSubject: x\n"));
        assertThat(HeaderSection.read(headerOnly).fields()).extracting(HeaderField::name).containsExactly("From", "Subject");
        assertThat(headerOnly.read()).isEqualTo(-1);
    }

    @Test
    void aStreamThatCannotGoBackIsRefused() {
        InputStream plain = new FilterInputStream(new ByteArrayInputStream(Messages.simple("a@example.org"))) {
            @Override
            public boolean markSupported() {
                return false;
            }
        };
        assertThatThrownBy(() -> HeaderSection.read(plain)).isInstanceOf(IllegalArgumentException.class);
    }
}
