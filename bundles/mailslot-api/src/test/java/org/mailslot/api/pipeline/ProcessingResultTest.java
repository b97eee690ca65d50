package org.mailslot.api.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.mailslot.api.mail.Envelope;
import org.mailslot.api.mail.MailAddress;
import org.mailslot.api.mail.MessageSource;
import org.mailslot.api.spool.WaitReason;

class ProcessingResultTest {

    private static final MessageSource OCTETS = MessageSource.of("Subject: x\r\n\r\nx\r\n".getBytes(StandardCharsets.US_ASCII));

    @Test
    void severalCopiesEachGoToTheirOwnRecipients() {
        ProcessingResult result = ProcessingResult.proceed(List.of(
                new ProcessingResult.Copy(envelope("a@example.org"), OCTETS),
                new ProcessingResult.Copy(envelope("b@example.org", "c@example.org"), OCTETS)));

        assertThat(result.copies()).hasSize(2);
        assertThat(result.envelope()).isEmpty();
        assertThat(result.isDeferred()).isFalse();
        assertThat(result).hasToString("proceed(2 copies)");
    }

    @Test
    void oneCopyIsAnOrdinaryTransformation() {
        Envelope only = envelope("a@example.org");

        ProcessingResult result = ProcessingResult.proceed(List.of(new ProcessingResult.Copy(only, OCTETS)));

        assertThat(result.copies()).isEmpty();
        assertThat(result.envelope()).contains(only);
        assertThat(result.message()).contains(OCTETS);
    }

    @Test
    void aRecipientInTwoCopiesOrNoCopyAtAllIsRefused() {
        assertThatThrownBy(() -> ProcessingResult.proceed(List.of(
                new ProcessingResult.Copy(envelope("a@example.org", "b@example.org"), OCTETS),
                new ProcessingResult.Copy(envelope("b@example.org"), OCTETS))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Recipient b@example.org is in more than one copy");
        assertThatThrownBy(() -> ProcessingResult.proceed(List.of())).hasMessage("proceed needs at least one copy");
    }

    @Test
    void aDeferralSaysWhatTheMessageWaitsFor() {
        assertThat(ProcessingResult.defer("busy").waitReason()).contains(WaitReason.DEFERRED_BY_PROCESSOR);
        assertThat(ProcessingResult.defer(WaitReason.CRYPTO_KEY_OR_BUNDLE_MISSING, "no key for b@example.org").waitReason())
                .contains(WaitReason.CRYPTO_KEY_OR_BUNDLE_MISSING);
        assertThat(ProcessingResult.proceed().waitReason()).isEmpty();
    }

    private static Envelope envelope(String... recipients) {
        Envelope.Builder builder = Envelope.builder().from(MailAddress.parse("s@example.org"));
        for (String recipient : recipients) {
            builder.to(MailAddress.parse(recipient));
        }
        return builder.build();
    }
}
