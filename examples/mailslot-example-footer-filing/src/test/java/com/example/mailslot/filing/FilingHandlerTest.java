package com.example.mailslot.filing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailslot.api.mail.MessageSource;
import org.mailslot.api.retrieval.RetrievedMessage;

class FilingHandlerTest {

    @TempDir
    Path root;

    @Test
    void filesIntoMaildirPlusPlusFoldersOncePerMessage() throws Exception {
        FilingHandler handler = new FilingHandler(
                FilingRules.from(Map.of("rule.1", "List-Id: dev[.]mailslot -> Lists.dev"), "INBOX"), root);
        String list = "List-Id: <dev.mailslot.org>\r\nSubject: hi\r\n\r\nbody\r\n";
        String direct = "Subject: direct\r\n\r\nbody\r\n";

        handler.handle(message("work", "1/10", list));
        handler.handle(message("work", "1/10", list));
        handler.handle(message("work", "1/11", direct));
        handler.handle(message("Home Mail", "7", direct));

        assertThat(files(root.resolve("work/.Lists.dev/new"))).hasSize(1).first()
                .satisfies(file -> assertThat(Files.readString(file)).isEqualTo(list));
        assertThat(files(root.resolve("work/new"))).hasSize(1);
        assertThat(files(root.resolve("work/tmp"))).isEmpty();
        assertThat(root.resolve("work/cur")).isDirectory();
        assertThat(files(root.resolve("home%20mail/new"))).hasSize(1);
    }

    @Test
    void aMessageAMailClientAlreadyMovedToCurIsNotFiledAgain() throws Exception {
        FilingHandler handler = new FilingHandler(FilingRules.from(Map.of(), "INBOX"), root);
        RetrievedMessage message = message("work", "1/12", "Subject: x\r\n\r\ny\r\n");
        handler.handle(message);
        Path filed = files(root.resolve("work/new")).findFirst().orElseThrow();
        Files.move(filed, root.resolve("work/cur").resolve(filed.getFileName() + ":2,S"));

        handler.handle(message);

        assertThat(files(root.resolve("work/new"))).isEmpty();
        assertThat(files(root.resolve("work/cur"))).hasSize(1);
    }

    private static RetrievedMessage message(String account, String id, String content) {
        return RetrievedMessage.fetched(account, "INBOX", id, Instant.parse("2026-11-28T00:00:00Z"),
                MessageSource.of(content.getBytes(StandardCharsets.UTF_8)));
    }

    private static Stream<Path> files(Path directory) throws Exception {
        return Files.list(directory).toList().stream();
    }
}
