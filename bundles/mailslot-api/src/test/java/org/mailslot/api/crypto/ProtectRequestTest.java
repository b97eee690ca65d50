package org.mailslot.api.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProtectRequestTest {

    @Test
    void whatTheShellWritesThePolicyReadsBack() {
        for (ProtectRequest request : new ProtectRequest[] {new ProtectRequest(true, false),
                new ProtectRequest(false, true), new ProtectRequest(true, true)}) {
            assertThat(ProtectRequest.parse(request.headerValue())).isEqualTo(request);
        }
        assertThat(new ProtectRequest(true, true).headerValue()).isEqualTo("encrypt, sign");
    }

    @Test
    void unknownWordsAndCaseDoNotFailARequest() {
        assertThat(ProtectRequest.parse(" Sign,  compress ")).isEqualTo(new ProtectRequest(false, true));
        assertThat(ProtectRequest.parse("nothing")).isEqualTo(ProtectRequest.NONE);
        assertThat(ProtectRequest.NONE.isEmpty()).isTrue();
        assertThat(ProtectRequest.NONE.headerValue()).isEmpty();
    }
}
