package org.mailslot.auth.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The organizational domain (RFC 7489 section 3.2) by the public suffix list's rules. */
class PublicSuffixListTest {

    static final String DEBIAN_LIST = "/usr/share/publicsuffix/public_suffix_list.dat";

    private static final String RULES = """
            // comment
            com
            uk
            co.uk
            *.ck
            !www.ck
            jp
            *.kobe.jp
            !city.kobe.jp
            公司.cn
            cn
            """;

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "example.com, example.com",
        "mail.example.com, example.com",
        "a.b.example.co.uk, example.co.uk",
        "example.uk, example.uk",
        "co.uk, co.uk",
        "com, com",
        "a.b.example.ck, b.example.ck",
        "www.ck, www.ck",
        "a.www.ck, www.ck",
        "x.city.kobe.jp, city.kobe.jp",
        "x.y.other.kobe.jp, y.other.kobe.jp",
        "mail.example.xn--55qx5d.cn, example.xn--55qx5d.cn",
        "mail.example.test, example.test",
        "MAIL.Example.COM., example.com",
    })
    void organizationalDomains(String domain, String organizational) throws IOException {
        assertEquals(organizational, PublicSuffixList.parse(new StringReader(RULES)).organizationalDomain(domain));
    }

    @Test
    void debiansList() throws IOException {
        PublicSuffixList list = PublicSuffixList.read(Path.of(DEBIAN_LIST));
        assertEquals("example.co.uk", list.organizationalDomain("shop.example.co.uk"));
        assertEquals("example.com", list.organizationalDomain("a.b.example.com"));
        // A private-section rule: each project has its own organizational domain.
        assertEquals("alice.github.io", list.organizationalDomain("www.alice.github.io"));
    }

    @Test
    void aFileWithoutRulesIsRefused(@TempDir Path dir) throws IOException {
        Path empty = Files.writeString(dir.resolve("list.dat"), "// nothing\n");
        assertThrows(IOException.class, () -> PublicSuffixList.read(empty));
    }
}
