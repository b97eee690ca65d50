package org.mailslot.itests;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/** The messages in local Maildirs, as a mail client would find them: one file each in new/ or cur/. */
final class DeliveredMessages {

    /**
     * One delivered message.
     *
     * @param mailbox the Maildir's name (the address)
     * @param content the file's content
     */
    record Delivered(String mailbox, String content) {

        String messageId() {
            return header(content, "Message-ID");
        }
    }

    private DeliveredMessages() {
    }

    /** @return every message in every Maildir under the root */
    static List<Delivered> under(Path root) throws IOException {
        List<Delivered> delivered = new ArrayList<>();
        if (!Files.isDirectory(root)) {
            return delivered;
        }
        try (Stream<Path> mailboxes = Files.list(root)) {
            for (Path mailbox : mailboxes.toList()) {
                for (String sub : List.of("new", "cur")) {
                    Path directory = mailbox.resolve(sub);
                    if (!Files.isDirectory(directory)) {
                        continue;
                    }
                    try (Stream<Path> files = Files.list(directory)) {
                        for (Path file : files.toList()) {
                            delivered.add(new Delivered(mailbox.getFileName().toString(), read(file)));
                        }
                    }
                }
            }
        }
        return delivered;
    }

    private static String read(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** @return the first value of a header field of the message's header section, or an empty string */
    static String header(String message, String name) {
        String prefix = name.toLowerCase(Locale.ROOT) + ":";
        for (String line : message.split("\r\n", -1)) {
            if (line.isEmpty()) {
                break;
            }
            if (line.toLowerCase(Locale.ROOT).startsWith(prefix)) {
                return line.substring(prefix.length()).strip();
            }
        }
        return "";
    }
}
