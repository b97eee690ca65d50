package org.mailslot.support.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;

import org.junit.jupiter.api.Test;

class ErrorTextTest {

    @Test
    void theChainReadsOutermostFirstWithoutRepeats() {
        IOException cause = new ConnectException("Connection refused");
        assertThat(ErrorText.of(new IOException("cannot reach mx.example:25", cause)))
                .isEqualTo("cannot reach mx.example:25: Connection refused");
        assertThat(ErrorText.of(new UncheckedIOException(cause))).isEqualTo("Connection refused");
        assertThat(ErrorText.of(new IOException("Connection refused", cause))).isEqualTo("Connection refused");
    }

    @Test
    void oneLineAndNeverEmpty() {
        assertThat(ErrorText.of(new IllegalStateException("two\n  lines\r\n"))).isEqualTo("two lines");
        assertThat(ErrorText.of(new IllegalStateException())).isEqualTo("IllegalStateException");
        assertThat(ErrorText.of(new IllegalStateException(new NullPointerException()))).isEqualTo("IllegalStateException");
    }
}
