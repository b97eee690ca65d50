package org.mailslot.shell.internal;

import java.nio.charset.StandardCharsets;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import org.mailslot.api.mail.MailAddress;
import org.mailslot.api.mail.MailSyntax;
import org.mailslot.support.mail.Crlf;

/** Writes the small RFC 5322 text messages that {@code mailslot:send} composes. */
final class MessageComposer {

    private MessageComposer() {
    }

    static byte[] compose(MailAddress from, List<MailAddress> to, String subject, String body, ZonedDateTime date) {
        MailSyntax.requireSingleLine("subject", subject);
        boolean utf8Body = !isAscii(body);
        StringBuilder message = new StringBuilder()
                .append("Date: ").append(DateTimeFormatter.RFC_1123_DATE_TIME.withLocale(Locale.ROOT).format(date)).append("\r\n")
                .append("From: <").append(from).append(">\r\n")
                .append("To: ").append(String.join(", ", to.stream().map(a -> "<" + a + ">").toList())).append("\r\n")
                .append("Subject: ").append(encodeHeader(subject)).append("\r\n")
                .append("Message-ID: <").append(UUID.randomUUID()).append('@').append(from.domain()).append(">\r\n")
                .append("MIME-Version: 1.0\r\n")
                .append("Content-Type: text/plain; charset=").append(utf8Body ? "UTF-8" : "US-ASCII").append("\r\n")
                .append("Content-Transfer-Encoding: ").append(utf8Body ? "8bit" : "7bit").append("\r\n")
                .append("\r\n")
                .append(new String(Crlf.canonical(body.getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8));
        if (message.charAt(message.length() - 1) != '\n') {
            message.append("\r\n");
        }
        return message.toString().getBytes(StandardCharsets.UTF_8);
    }

    static boolean isAscii(String text) {
        return text.chars().allMatch(c -> c < 0x80);
    }

    private static String encodeHeader(String value) {
        if (isAscii(value)) {
            return value;
        }
        return "=?UTF-8?B?" + Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8)) + "?=";
    }
}
