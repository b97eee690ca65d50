package org.mailslot.api.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.mailslot.api.mail.Envelope;
import org.mailslot.api.mail.MailAddress;

class StageNeedTest {

    @Test
    void aNeededStageSaysWhyAndTheOthersGiveNoReason() {
        assertThat(StageNeed.needed("encrypt=required for bob@example.org").reason())
                .isEqualTo("encrypt=required for bob@example.org");
        assertThatThrownBy(() -> StageNeed.needed(" ")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("A needed stage says why");
        assertThatThrownBy(() -> new StageNeed(StageNeed.Kind.NOT_NEEDED, "because"))
                .hasMessage("Only a needed stage gives a reason");
    }

    @Test
    void aProcessorThatDoesNotAnswerCannotTell() {
        MessageProcessor processor = (envelope, message) -> ProcessingResult.proceed();

        assertThat(processor.needFor(Envelope.builder().from(MailAddress.parse("a@example.org"))
                .to(MailAddress.parse("b@example.org")).build())).isEqualTo(StageNeed.unknown());
    }
}
