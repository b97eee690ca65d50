package org.mailslot.support.maillog;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.mailslot.api.mail.MessageSource;

class MessageIdFieldTest {

    @Test
    void theFieldIsFoundWhateverItsCase() throws IOException {
        assertThat(of("From: a@b\r\nMESSAGE-ID: <x.1@example.org>\r\nSubject: s\r\n\r\nbody\r\n")).isEqualTo("<x.1@example.org>");
        assertThat(of("message-id:<y@example.org>\r\n\r\n")).isEqualTo("<y@example.org>");
    }

    @Test
    void aFoldedValueIsUnfolded() throws IOException {
        assertThat(of("Message-ID:\r\n <z@example.org>\r\nTo: c@d\r\n\r\n")).isEqualTo("<z@example.org>");
    }

    @Test
    void onlyTheHeaderSectionCountsAndOnlyAtALineStart() throws IOException {
        assertThat(of("Subject: no\r\nX-Old-Message-ID: <old@example.org>\r\n\r\nMessage-ID: <body@example.org>\r\n")).isEmpty();
        assertThat(of("Message-IDs: <no@example.org>\r\n\r\n")).isEmpty();
        assertThat(of("")).isEmpty();
    }

    @Test
    void aLongValueIsCut() throws IOException {
        String longId = "<" + "a".repeat(5000) + "@example.org>";
        assertThat(of("Message-ID: " + longId + "\r\n\r\n")).hasSize(MessageIdField.MAX_LENGTH - 1);
    }

    private static String of(String message) throws IOException {
        return MessageIdField.of(MessageSource.of(message.getBytes(StandardCharsets.UTF_8)));
    }
}
