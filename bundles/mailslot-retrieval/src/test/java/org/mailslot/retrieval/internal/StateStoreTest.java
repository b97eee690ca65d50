package org.mailslot.retrieval.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateStoreTest {

    @TempDir
    Path dir;

    private static StateStore.Stored stored(String folder, long validity, long uid, String sha) {
        return new StateStore.Stored(ImapSync.key(folder, validity, uid), validity, uid,
                Optional.of(LocalMaildir.fileName(folder, "" + validity, "" + uid)), sha, Instant.ofEpochMilli(1000));
    }

    @Test
    void everythingRecordedSurvivesReopening() throws Exception {
        Path file = dir.resolve("state.log");
        try (StateStore state = StateStore.open(file)) {
            state.recordValidity("Lists/dév\tx", 7);
            state.recordStored(List.of(stored("Lists/dév\tx", 7, 3, "aa"), stored("Lists/dév\tx", 7, 9, "bb")));
            state.recordActioned(List.of(ImapSync.key("Lists/dév\tx", 7, 3)));
            state.recordHandled("archive", ImapSync.key("Lists/dév\tx", 7, 3));
            state.force();
        }
        try (StateStore state = StateStore.open(file)) {
            assertThat(state.validity("Lists/dév\tx")).contains(7L);
            assertThat(state.highestUid("Lists/dév\tx")).isEqualTo(9);
            assertThat(state.isStored(ImapSync.key("Lists/dév\tx", 7, 9))).isTrue();
            assertThat(state.notActioned("Lists/dév\tx")).extracting(StateStore.Stored::uid).containsExactly(9L);
            assertThat(state.pending(List.of("archive"))).extracting(StateStore.Stored::uid).containsExactly(9L);
            assertThat(state.pending(List.of("archive", "index"))).hasSize(2);
        }
    }

    @Test
    void aTornLastLineIsDroppedAndTheLogStaysUsable() throws Exception {
        Path file = dir.resolve("state.log");
        try (StateStore state = StateStore.open(file)) {
            state.recordValidity("INBOX", 1);
            state.recordStored(List.of(stored("INBOX", 1, 1, "aa")));
        }
        Files.write(file, "S\tINBOX\t1%2F2\t1\t2\tfi".getBytes(StandardCharsets.UTF_8), StandardOpenOption.APPEND);
        try (StateStore state = StateStore.open(file)) {
            assertThat(state.highestUid("INBOX")).isEqualTo(1);
            state.recordStored(List.of(stored("INBOX", 1, 2, "bb")));
        }
        try (StateStore state = StateStore.open(file)) {
            assertThat(state.highestUid("INBOX")).isEqualTo(2);
            assertThat(state.storedCount()).isEqualTo(2);
        }
    }

    @Test
    void aNewUidValidityStartsOverButKnowsTheOldContent() throws Exception {
        try (StateStore state = StateStore.open(dir.resolve("state.log"))) {
            state.recordValidity("INBOX", 1);
            state.recordStored(List.of(stored("INBOX", 1, 40, "aa")));
            state.recordValidity("INBOX", 2);
            assertThat(state.highestUid("INBOX")).isZero();
            assertThat(state.storedUnderOtherValidity("INBOX", "aa", 2)).isTrue();
            assertThat(state.storedUnderOtherValidity("INBOX", "aa", 1)).isFalse();
            assertThat(state.storedUnderOtherValidity("INBOX", "cc", 2)).isFalse();
        }
    }

    @Test
    void aDamagedLineIsReportedWithItsNumber() throws Exception {
        Path file = dir.resolve("state.log");
        Files.writeString(file, "V\tINBOX\t1\nX\tnonsense\n");
        assertThatThrownBy(() -> StateStore.open(file)).hasMessageContaining("line 2 is damaged");
    }
}
