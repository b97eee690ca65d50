package org.mailslot.support.mail;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The inputs the three former copies (OpenPGP, S/MIME, crypto policy) read differently, and what they mean. */
class ContentTypeTest {

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', textBlock = """
            multipart/encrypted (x); protocol="application/pgp-encrypted"          | multipart/encrypted
            multipart/encrypted(x);protocol=application/pgp-encrypted              | multipart/encrypted
            (lead) Multipart/Signed (a (nested) comment) ; protocol=x              | multipart/signed
            multipart / signed; protocol=x                                         | multipart/signed
            APPLICATION/PKCS7-MIME; smime-type=enveloped-data                      | application/pkcs7-mime
            text/plain                                                             | text/plain
            """)
    void commentsAndCaseDoNotChangeTheMediaType(String value, String mediaType) {
        ContentType type = ContentType.parse(value);
        assertThat(type.mediaType()).isEqualTo(mediaType);
        assertThat(type.is(mediaType.toUpperCase())).isTrue();
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', textBlock = """
            multipart/mixed; boundary=abc (c)                              | abc
            multipart/mixed; boundary=abc(c)                               | abc
            multipart/mixed; boundary="abc (not a comment)"                | abc (not a comment)
            multipart/mixed; (c) boundary = "a;b" ; charset=x              | a;b
            multipart/mixed; boundary="a\\"b"                              | a"b
            multipart/mixed; BOUNDARY=Up                                   | Up
            multipart/mixed; boundary=first; boundary=second               | first
            multipart/mixed; junk; boundary=after-junk                     | after-junk
            multipart/mixed; x="unclosed; boundary=b                       |
            multipart/mixed; boundary*0=ab; boundary*1=cd                  | abcd
            multipart/mixed; boundary*=utf-8''a%20b                        | a b
            multipart/mixed; boundary*0*=utf-8''%C3%A4; boundary*1=x       | äx
            multipart/mixed; boundary*1=cd; boundary*0=ab                  | abcd
            multipart/mixed; boundary*0=ab; boundary*2=ef                  |
            """)
    void oneBoundaryWhateverTheCommentsQuotesAndContinuations(String value, String boundary) {
        assertThat(ContentType.parse(value).parameter("boundary")).isEqualTo(boundary);
    }

    @Test
    void foldedValuesParse() {
        ContentType type = ContentType.parse("Multipart/Signed; (comment) Protocol=\"application/pkcs7-signature\";\r\n micalg=SHA-256;"
                + " boundary=\"a;b\\\"c\"");
        assertThat(type.is("multipart", "signed")).isTrue();
        assertThat(type.parameters()).isEqualTo(Map.of("protocol", "application/pkcs7-signature", "micalg", "SHA-256",
                "boundary", "a;b\"c"));
        assertThat(type.parameterIs("protocol", "Application/PKCS7-Signature")).isTrue();
    }

    @ParameterizedTest(name = "[{index}] ''{0}''")
    @CsvSource(delimiter = '|', textBlock = """
            garbage
            text/
            /plain
            ''
            (only a comment)
            text/plain garbage
            text/pl@in
            """)
    void whatDoesNotParseIsTextPlain(String value) {
        assertThat(ContentType.parse(value)).isEqualTo(ContentType.DEFAULT);
    }

    @Test
    void anAbsentFieldIsTextPlain() {
        assertThat(ContentType.parse(null)).isEqualTo(ContentType.DEFAULT);
    }

    /**
     * Property: however a sender spaces, folds, comments and quotes a value, it means the same.
     * Seeded, so a failure repeats.
     */
    @Test
    void commentsFoldingAndQuotingNeverChangeTheMeaning() {
        java.util.Random random = new java.util.Random(2045);
        String[][] types = {{"multipart", "encrypted"}, {"multipart", "signed"}, {"application", "pkcs7-mime"}, {"text", "plain"}};
        String[] names = {"protocol", "boundary", "micalg", "smime-type", "charset"};
        String[] values = {"application/pgp-encrypted", "=-mailslot-0a1b", "pgp-sha256", "enveloped-data", "utf-8", "abc"};
        for (int run = 0; run < 2000; run++) {
            String[] type = types[random.nextInt(types.length)];
            Map<String, String> parameters = new java.util.LinkedHashMap<>();
            int count = random.nextInt(4);
            for (int i = 0; i < count; i++) {
                parameters.putIfAbsent(names[random.nextInt(names.length)], values[random.nextInt(values.length)]);
            }
            StringBuilder text = new StringBuilder(cfws(random)).append(caseOf(random, type[0])).append(cfws(random))
                    .append('/').append(cfws(random)).append(caseOf(random, type[1])).append(cfws(random));
            for (Map.Entry<String, String> parameter : parameters.entrySet()) {
                String value = parameter.getValue();
                boolean mustQuote = value.chars().anyMatch(c -> "()<>@,;:\\\"/[]?=".indexOf(c) >= 0);
                text.append(';').append(cfws(random)).append(caseOf(random, parameter.getKey())).append(cfws(random))
                        .append('=').append(cfws(random))
                        .append(mustQuote || random.nextBoolean() ? "\"" + value + "\"" : value).append(cfws(random));
            }
            if (random.nextBoolean()) {
                text.append(';').append(cfws(random));
            }
            ContentType parsed = ContentType.parse(text.toString());
            assertThat(parsed.mediaType()).as(text.toString()).isEqualTo(type[0] + "/" + type[1]);
            assertThat(parsed.parameters()).as(text.toString()).isEqualTo(parameters);
        }
    }

    private static String cfws(java.util.Random random) {
        return switch (random.nextInt(6)) {
            case 0, 1 -> "";
            case 2 -> " ";
            case 3 -> "\r\n\t";
            case 4 -> " (a comment; with = and \\) inside) ";
            default -> "(nested (comment))";
        };
    }

    private static String caseOf(java.util.Random random, String word) {
        return random.nextBoolean() ? word : word.toUpperCase(java.util.Locale.ROOT);
    }
}
