package com.example.mailslot.footer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import org.junit.jupiter.api.Test;
import org.mailslot.api.mail.Envelope;
import org.mailslot.api.mail.MessageSource;
import org.mailslot.api.pipeline.ProcessingResult;

import com.example.mailslot.mime.MimeEntity;
import com.example.mailslot.mime.Multipart;
import com.example.mailslot.mime.TransferEncoding;

class FooterTest {

    private final Footer footer = new Footer("--\nSent through Example Corp");
    private final Footer euroFooter = new Footer("Preis: 5 €");

    @Test
    void plainTextGetsTheFooterAfterABlankLineAndIsMarked() {
        String message = "From: a@example.org\r\nSubject: hi\r\n\r\nHello Bob,\r\nsee you.\r\n";

        String result = text(footer.addTo(bytes(message)).orElseThrow());

        assertThat(result).startsWith("X-Example-Footer: added\r\nFrom: a@example.org\r\nSubject: hi\r\n")
                .endsWith("\r\n\r\nHello Bob,\r\nsee you.\r\n\r\n--\r\nSent through Example Corp\r\n");
        assertThat(footer.addTo(bytes(result))).as("never twice").isEmpty();
    }

    @Test
    void aFooterTheCharsetCannotHoldTurnsTheTextIntoUtf8QuotedPrintable() {
        String message = "From: a@example.org\r\nContent-Type: text/plain; charset=us-ascii; format=flowed\r\n\r\nHello\r\n";

        MimeEntity result = MimeEntity.parse(euroFooter.addTo(bytes(message)).orElseThrow());

        assertThat(result.value("Content-Type")).contains("text/plain; charset=UTF-8; format=flowed");
        assertThat(result.transferEncoding()).isEqualTo("quoted-printable");
        assertThat(result.value("MIME-Version")).contains("1.0");
        assertThat(decodedText(result, StandardCharsets.UTF_8)).isEqualTo("Hello\r\n\r\nPreis: 5 €\r\n");
    }

    @Test
    void latin1StaysLatin1WhenTheFooterFits() {
        byte[] message = concat(bytes("Content-Type: text/plain; charset=ISO-8859-1\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"),
                "Grüße\r\n".getBytes(StandardCharsets.ISO_8859_1));

        MimeEntity result = MimeEntity.parse(new Footer("Tschüß").addTo(message).orElseThrow());

        assertThat(result.value("Content-Type")).contains("text/plain; charset=ISO-8859-1");
        assertThat(result.transferEncoding()).isEqualTo("8bit");
        assertThat(new String(result.body(), StandardCharsets.ISO_8859_1)).isEqualTo("Grüße\r\n\r\nTschüß\r\n");
    }

    @Test
    void quotedPrintableIsDecodedAndEncodedAgain() {
        String message = "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"
                + "Gr=C3=BC=C3=9Fe, a long line that was soft-broken by the sender so that it =\r\nfits\r\n";

        MimeEntity result = MimeEntity.parse(euroFooter.addTo(bytes(message)).orElseThrow());

        assertThat(result.transferEncoding()).isEqualTo("quoted-printable");
        assertThat(decodedText(result, StandardCharsets.UTF_8)).isEqualTo(
                "Grüße, a long line that was soft-broken by the sender so that it fits\r\n\r\nPreis: 5 €\r\n");
        assertThat(text(result.body()).lines()).allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(76));
    }

    @Test
    void base64StaysBase64InLinesOf76() {
        String content = "Hello in base64, and long enough to need a second line of base64 output for sure.\r\n";
        String message = "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n"
                + Base64.getMimeEncoder().encodeToString(bytes(content)) + "\r\n";

        MimeEntity result = MimeEntity.parse(footer.addTo(bytes(message)).orElseThrow());

        assertThat(result.transferEncoding()).isEqualTo("base64");
        assertThat(decodedText(result, StandardCharsets.UTF_8))
                .isEqualTo(content + "\r\n--\r\nSent through Example Corp\r\n");
        assertThat(text(result.body()).lines()).hasSizeGreaterThan(1)
                .allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(76));
    }

    @Test
    void mixedGetsItOnTheFirstTextPartAndTheAttachmentStaysByteForByte() {
        String attachment = "Content-Type: text/plain; name=notes.txt\r\nContent-Disposition: attachment\r\n\r\nnotes\r\n";
        String message = "Content-Type: multipart/mixed; boundary=\"b1\"\r\nMIME-Version: 1.0\r\n\r\n"
                + "preamble\r\n--b1\r\nContent-Type: text/plain\r\n\r\nBody text\r\n--b1\r\n" + attachment
                + "--b1--\r\nepilogue\r\n";

        String result = text(footer.addTo(bytes(message)).orElseThrow());

        MimeEntity root = MimeEntity.parse(bytes(result));
        Multipart parts = Multipart.split(root.body(), "b1").orElseThrow();
        assertThat(parts.parts()).hasSize(2);
        assertThat(text(parts.entity(parts.parts().get(0)).body()))
                .isEqualTo("Body text\r\n\r\n--\r\nSent through Example Corp");
        assertThat(parts.entity(parts.parts().get(1)).toBytes()).isEqualTo(bytes(attachment.substring(0, attachment.length() - 2)));
        assertThat(result).contains("\r\n\r\npreamble\r\n--b1\r\n").endsWith("--b1--\r\nepilogue\r\n");
    }

    @Test
    void alternativeGetsItOnThePlainPartOnlyAndNestedInMixedToo() {
        String alternative = "Content-Type: multipart/alternative; boundary=alt\r\n\r\n"
                + "--alt\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nPlain\r\n"
                + "--alt\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<p>Html</p>\r\n--alt--\r\n";
        String message = "Content-Type: multipart/mixed; boundary=mix\r\n\r\n--mix\r\n" + alternative
                + "--mix\r\nContent-Type: application/pdf\r\nContent-Transfer-Encoding: base64\r\n\r\nJVBERg==\r\n--mix--\r\n";

        String result = text(footer.addTo(bytes(message)).orElseThrow());

        assertThat(result).contains("Plain\r\n\r\n--\r\nSent through Example Corp\r\n--alt\r\nContent-Type: text/html")
                .contains("<p>Html</p>\r\n--alt--").contains("JVBERg==\r\n--mix--");
    }

    @Test
    void signedAndEncryptedMessagesAreNeverTouched() {
        String pgpMime = "Content-Type: multipart/signed; micalg=pgp-sha256; protocol=\"application/pgp-signature\"; "
                + "boundary=s\r\n\r\n--s\r\nContent-Type: text/plain\r\n\r\nSigned\r\n--s\r\n"
                + "Content-Type: application/pgp-signature\r\n\r\nsig\r\n--s--\r\n";
        String encrypted = "Content-Type: multipart/encrypted; protocol=\"application/pgp-encrypted\"; boundary=e\r\n\r\n"
                + "--e\r\nContent-Type: application/pgp-encrypted\r\n\r\nVersion: 1\r\n--e\r\n"
                + "Content-Type: application/octet-stream\r\n\r\n-----BEGIN PGP MESSAGE-----\r\n--e--\r\n";
        String smime = "Content-Type: application/pkcs7-mime; smime-type=enveloped-data; name=smime.p7m\r\n"
                + "Content-Transfer-Encoding: base64\r\n\r\nMIAGCSqGSIb3DQEHA6CAMIACAQA=\r\n";
        String inlinePgp = "Content-Type: text/plain\r\n\r\n-----BEGIN PGP SIGNED MESSAGE-----\r\nHash: SHA256\r\n\r\nhi\r\n";
        String dkim = "DKIM-Signature: v=1; a=rsa-sha256; d=example.org; s=s1; bh=x; b=y\r\n"
                + "Content-Type: text/plain\r\n\r\nSigned by the domain\r\n";
        String mixedWithSignedFirst = "Content-Type: multipart/mixed; boundary=m\r\n\r\n--m\r\n" + pgpMime + "--m--\r\n";

        for (String message : new String[] {pgpMime, encrypted, smime, inlinePgp, dkim, mixedWithSignedFirst}) {
            assertThat(footer.addTo(bytes(message))).as(message).isEmpty();
        }
    }

    @Test
    void whatCannotBeDoneFaithfullyIsLeftAlone() {
        String html = "Content-Type: text/html\r\n\r\n<p>hi</p>\r\n";
        String unknownCharset = "Content-Type: text/plain; charset=x-no-such-charset\r\n\r\nhi\r\n";
        String badUtf8 = "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n";
        String uuencode = "Content-Type: text/plain\r\nContent-Transfer-Encoding: x-uuencode\r\n\r\nbegin 644 x\r\n";
        String unclosed = "Content-Type: multipart/mixed; boundary=u\r\n\r\n--u\r\nContent-Type: text/plain\r\n\r\nhi\r\n";
        String attachmentOnly = "Content-Type: text/plain\r\nContent-Disposition: attachment; filename=a.txt\r\n\r\nhi\r\n";

        assertThat(footer.addTo(bytes(html))).isEmpty();
        assertThat(footer.addTo(bytes(unknownCharset))).isEmpty();
        assertThat(footer.addTo(concat(bytes(badUtf8), new byte[] {(byte) 0xC3, 0x28, '\r', '\n'}))).isEmpty();
        assertThat(footer.addTo(bytes(uuencode))).isEmpty();
        assertThat(footer.addTo(bytes(unclosed))).isEmpty();
        assertThat(footer.addTo(bytes(attachmentOnly))).isEmpty();
    }

    @Test
    void theProcessorPassesOnTheChangedMessageAndLeavesLargeOnesAlone() throws Exception {
        Envelope envelope = Envelope.builder().from("a@example.org").to("b@example.org").build();
        FooterProcessor processor = new FooterProcessor(config("Example footer", 100));

        ProcessingResult changed = processor.process(envelope, MessageSource.of(bytes("Subject: x\r\n\r\nHi\r\n")));
        ProcessingResult tooLarge = processor.process(envelope,
                MessageSource.of(bytes("Subject: x\r\n\r\n" + "y".repeat(200) + "\r\n")));

        assertThat(changed.isDeferred()).isFalse();
        assertThat(changed.envelope()).isEmpty();
        try (var in = changed.message().orElseThrow().open()) {
            assertThat(text(in.readAllBytes())).endsWith("Hi\r\n\r\nExample footer\r\n");
        }
        assertThat(tooLarge.message()).isEmpty();
    }

    @Test
    void aBlankTextOrSizeIsRefusedWithTheReason() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new FooterProcessor(config("  ", 10)))
                .hasMessage("com.example.mailslot.footer: text must not be blank");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new FooterProcessor(config("x", 0)))
                .hasMessageContaining("max.size must be between 1 and");
    }

    private static FooterConfig config(String text, int maxSize) {
        return new FooterConfig() {
            public Class<FooterConfig> annotationType() { return FooterConfig.class; }
            public String text() { return text; }
            public int max_size() { return maxSize; }
            public int service_ranking() { return 100; }
        };
    }

    private static String decodedText(MimeEntity entity, java.nio.charset.Charset charset) {
        return new String(TransferEncoding.of(entity.transferEncoding()).orElseThrow().decode(entity.body()), charset);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] octets) {
        return new String(octets, StandardCharsets.UTF_8);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] result = new byte[a.length + b.length];
        System.arraycopy(a, 0, result, 0, a.length);
        System.arraycopy(b, 0, result, a.length, b.length);
        return result;
    }
}
