package org.mailslot.spool.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.mailslot.api.mail.Envelope;
import org.mailslot.api.mail.MailAddress;
import org.mailslot.api.pipeline.MessageProcessor;
import org.mailslot.api.pipeline.ProcessingResult;
import org.mailslot.api.pipeline.RequiredStage;
import org.mailslot.api.pipeline.StageNeed;

class PipelineRequirementsTest {

    private static final Envelope TO_BOB = Envelope.builder().from(MailAddress.parse("alice@example.org"))
            .to(MailAddress.parse("bob@example.org")).build();

    private final List<DeliveryScheduler.NamedProcessor> running = new ArrayList<>();

    private static MessageProcessor answering(StageNeed need) {
        return new MessageProcessor() {
            @Override
            public ProcessingResult process(Envelope envelope, org.mailslot.api.mail.MessageSource message) {
                return ProcessingResult.proceed();
            }

            @Override
            public StageNeed needFor(Envelope envelope) {
                return need;
            }
        };
    }

    private static MessageProcessor silent() {
        return (envelope, message) -> ProcessingResult.proceed();
    }

    @Test
    void aRequiredStageThatIsNotRunningMustRun() {
        PipelineRequirements pipeline = new PipelineRequirements(List.of("crypto-policy"), () -> running);

        assertThat(pipeline.requiredFor(TO_BOB)).containsExactly(new RequiredStage("crypto-policy",
                "the required stage crypto-policy (pipeline.required) is not running, is its bundle started?"));
    }

    @Test
    void aRequiredStageMustRunUnlessItSaysThisEnvelopeMaySkipIt() {
        PipelineRequirements pipeline = new PipelineRequirements(List.of("crypto-policy"), () -> running);
        running.add(new DeliveryScheduler.NamedProcessor("crypto-policy", silent()));

        assertThat(pipeline.requiredFor(TO_BOB)).extracting(RequiredStage::reason).containsExactly(
                "the required stage crypto-policy (pipeline.required) runs for every message and does not say this one may skip it");

        running.set(0, new DeliveryScheduler.NamedProcessor("crypto-policy", answering(StageNeed.notNeeded())));
        assertThat(pipeline.requiredFor(TO_BOB)).isEmpty();
    }

    @Test
    void anyStageThatSaysItIsNeededMustRunAndOneThatCannotTellMaySkipUnlessRequired() {
        PipelineRequirements pipeline = new PipelineRequirements(List.of(), () -> running);
        running.add(new DeliveryScheduler.NamedProcessor("footer", silent()));
        running.add(new DeliveryScheduler.NamedProcessor("crypto-policy",
                answering(StageNeed.needed("the crypto policy encrypts mail to bob@example.org (encrypt=required)"))));
        running.add(new DeliveryScheduler.NamedProcessor("broken", new MessageProcessor() {
            @Override
            public ProcessingResult process(Envelope envelope, org.mailslot.api.mail.MessageSource message) {
                return ProcessingResult.proceed();
            }

            @Override
            public StageNeed needFor(Envelope envelope) {
                throw new IllegalStateException("no policy");
            }
        }));

        assertThat(pipeline.requiredFor(TO_BOB)).containsExactly(
                new RequiredStage("crypto-policy", "the crypto policy encrypts mail to bob@example.org (encrypt=required)"),
                new RequiredStage("broken", "broken failed to tell whether it may be skipped: java.lang.IllegalStateException: no policy"));
    }
}
