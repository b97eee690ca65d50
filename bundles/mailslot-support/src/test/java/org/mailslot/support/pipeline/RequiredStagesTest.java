package org.mailslot.support.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RequiredStagesTest {

    @Test
    void namesAreAListOrOneValueSeparatedByCommasOrSpaces() {
        assertThat(RequiredStages.parse("pipeline.required", new String[] {"crypto-policy"})).containsExactly("crypto-policy");
        assertThat(RequiredStages.parse("pipeline.required", new String[] {"crypto-policy, dkim ", "crypto-policy"}))
                .containsExactly("crypto-policy", "dkim");
        assertThat(RequiredStages.parse("pipeline.required", new String[] {"crypto-policy dkim"}))
                .containsExactly("crypto-policy", "dkim");
    }

    @Test
    void noneRequiresNoStage() {
        assertThat(RequiredStages.parse("inbound.required", new String[] {"none"})).isEmpty();
        assertThat(RequiredStages.parse("inbound.required", new String[] {" NONE "})).isEmpty();
    }

    @Test
    void anEmptyValueIsRefusedNotReadAsNone() {
        for (String[] empty : new String[][] {{}, {""}, {" , "}, null}) {
            assertThatThrownBy(() -> RequiredStages.parse("pipeline.required", empty))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("pipeline.required is empty: name the required stages, or none to require no stage");
        }
    }

    @Test
    void noneBesideAStageIsRefused() {
        assertThatThrownBy(() -> RequiredStages.parse("inbound.required", new String[] {"none, crypto-open"}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("inbound.required names none beside the stages [none, crypto-open]: write none alone to"
                        + " require no stage");
    }
}
