package org.mailslot.smtp.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import org.junit.jupiter.api.Test;

/** The SASL exchange alone: lines in, steps out, no socket and no realm. */
class AuthExchangeTest {

    @Test
    void plainWithAnInitialResponseYieldsTheCredentialsAtOnce() {
        AuthExchange.Step step = new AuthExchange().begin("plain " + base64("\0alice\0s3cret"));
        assertThat(step).isInstanceOfSatisfying(AuthExchange.Verify.class, verify -> {
            assertThat(verify.mechanism()).isEqualTo("PLAIN");
            assertThat(verify.user()).isEqualTo("alice");
            assertThat(verify.password()).containsExactly("s3cret".toCharArray());
        });
    }

    @Test
    void plainWithoutOneAsksWithAnEmptyChallengeFirst() {
        AuthExchange exchange = new AuthExchange();
        assertThat(exchange.begin("PLAIN")).isEqualTo(new AuthExchange.Challenge("334 "));
        assertThat(exchange.respond(base64("alice\0alice\0s3cret"))).isInstanceOf(AuthExchange.Verify.class);
    }

    @Test
    void plainForAnotherIdentityIsAFailureOfTheUserWhoAsked() {
        assertThat(new AuthExchange().begin("PLAIN " + base64("admin\0alice\0s3cret")))
                .isEqualTo(new AuthExchange.ForeignIdentity("alice"));
    }

    @Test
    void loginAsksForTheUserThenThePassword() {
        AuthExchange exchange = new AuthExchange();
        assertThat(exchange.begin("LOGIN")).isEqualTo(new AuthExchange.Challenge("334 VXNlcm5hbWU6"));
        assertThat(exchange.respond(base64("bob@example.test"))).isEqualTo(new AuthExchange.Challenge("334 UGFzc3dvcmQ6"));
        assertThat(exchange.respond(base64("pw"))).isInstanceOfSatisfying(AuthExchange.Verify.class,
                verify -> assertThat(verify).extracting(AuthExchange.Verify::mechanism, AuthExchange.Verify::user)
                        .containsExactly("LOGIN", "bob@example.test"));
    }

    @Test
    void loginWithTheUserAsInitialResponseAsksForThePassword() {
        AuthExchange exchange = new AuthExchange();
        assertThat(exchange.begin("LOGIN " + base64("alice"))).isEqualTo(new AuthExchange.Challenge("334 UGFzc3dvcmQ6"));
    }

    @Test
    void refusalsNameWhatWasWrong() {
        assertThat(new AuthExchange().begin("CRAM-MD5")).isEqualTo(
                new AuthExchange.Refused("504 5.5.4 Unrecognized authentication mechanism; use PLAIN or LOGIN"));
        assertThat(new AuthExchange().begin("PLAIN a b")).isEqualTo(
                new AuthExchange.Refused("501 5.5.4 Syntax: AUTH mechanism [initial-response]"));
        assertThat(new AuthExchange().begin("PLAIN !!!")).isEqualTo(
                new AuthExchange.Refused("501 5.5.2 Cannot decode the response as base64"));
        assertThat(new AuthExchange().begin("PLAIN =")).isEqualTo(new AuthExchange.Refused("501 5.5.2 Malformed PLAIN response"));
        AuthExchange exchange = new AuthExchange();
        exchange.begin("LOGIN");
        assertThat(exchange.respond("*")).isEqualTo(new AuthExchange.Refused("501 5.0.0 Authentication cancelled"));
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
