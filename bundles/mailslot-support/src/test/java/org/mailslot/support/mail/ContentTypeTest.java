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
}
