package org.mailslot.support.net;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LocalHostNameTest {

    @Test
    void theNameIsLookedUpOnceAndIsNeverBlank() {
        String name = LocalHostName.get();
        assertThat(name).isNotBlank().doesNotContainAnyWhitespaces();
        assertThat(LocalHostName.get()).isSameAs(name);
    }
}
