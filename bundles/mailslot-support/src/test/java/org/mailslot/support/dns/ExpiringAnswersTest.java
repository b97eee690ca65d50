package org.mailslot.support.dns;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ExpiringAnswersTest {

    @Test
    void anAnswerIsKeptForItsTimeAndAFailureDropsTheOneBefore() {
        ExpiringAnswers<String, String> answers = new ExpiringAnswers<>();

        answers.put("mx.test", "first", 1_000, 60);

        assertThat(answers.get("mx.test", 60_999)).contains("first");
        assertThat(answers.get("mx.test", 61_000)).isEmpty();
        answers.put("mx.test", "failed", 2_000, 0);
        assertThat(answers.get("mx.test", 2_000)).isEmpty();
    }

    @Test
    void aFullCacheStartsAfresh() {
        ExpiringAnswers<Integer, String> answers = new ExpiringAnswers<>();
        for (int i = 0; i < ExpiringAnswers.MAX_ENTRIES; i++) {
            answers.put(i, "answer", 0, 60);
        }

        answers.put(-1, "one more", 0, 60);

        assertThat(answers.get(0, 1)).isEmpty();
        assertThat(answers.get(-1, 1)).contains("one more");
    }
}
