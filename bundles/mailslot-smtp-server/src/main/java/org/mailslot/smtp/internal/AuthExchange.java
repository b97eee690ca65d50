package org.mailslot.smtp.internal;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.Locale;

/**
 * One SASL exchange of AUTH (RFC 4954): PLAIN (RFC 4616) or LOGIN, from the mechanism and its
 * initial response to the credentials to check. Knows nothing of sockets, threads or the realm:
 * each client line goes in, and a {@link Step} comes out that says what to do next.
 *
 * <p>Not thread-safe: one per AUTH command, on its session's loop.
 */
final class AuthExchange {

    /** What the session does next. */
    sealed interface Step {
    }

    /** Send this 334 challenge and hand the client's next line to {@link #respond}. */
    record Challenge(String reply) implements Step {
    }

    /** The exchange is over: check these credentials (and then wipe the password). */
    record Verify(String mechanism, String user, char[] password) implements Step {
    }

    /** The exchange is over: the client asked to act for another identity, which counts as a failure for {@code user}. */
    record ForeignIdentity(String user) implements Step {
    }

    /** The exchange is over without credentials: answer this. */
    record Refused(String reply) implements Step {
    }

    static final String MECHANISMS = "PLAIN LOGIN";

    private enum Expecting { PLAIN_RESPONSE, LOGIN_USER, LOGIN_PASSWORD }

    private Expecting expecting;
    private String loginUser;

    /**
     * Starts the exchange from the argument of AUTH: the mechanism and perhaps an initial response.
     * While the steps are {@link Challenge}s, the client's lines go to {@link #respond}.
     */
    Step begin(String argument) {
        String[] parts = argument.trim().split(" +");
        String mechanism = parts[0].toUpperCase(Locale.ROOT);
        String initial = parts.length > 1 ? parts[1] : null;
        if (parts.length > 2) {
            return new Refused("501 5.5.4 Syntax: AUTH mechanism [initial-response]");
        }
        switch (mechanism) {
            case "PLAIN" -> {
                expecting = Expecting.PLAIN_RESPONSE;
                return initial == null ? new Challenge("334 ") : respond(initial);
            }
            case "LOGIN" -> {
                expecting = Expecting.LOGIN_USER;
                return initial == null ? new Challenge("334 VXNlcm5hbWU6") : respond(initial);
            }
            default -> {
                return new Refused("504 5.5.4 Unrecognized authentication mechanism; use PLAIN or LOGIN");
            }
        }
    }

    /** @return the step after the client's answer to the last challenge */
    Step respond(String response) {
        if (response.equals("*")) {
            return new Refused("501 5.0.0 Authentication cancelled");
        }
        byte[] decoded;
        try {
            decoded = response.equals("=") ? new byte[0] : Base64.getDecoder().decode(response.trim());
        } catch (IllegalArgumentException e) {
            return new Refused("501 5.5.2 Cannot decode the response as base64");
        }
        String text = new String(decoded, StandardCharsets.UTF_8);
        Arrays.fill(decoded, (byte) 0);
        return switch (expecting) {
            case PLAIN_RESPONSE -> plain(text);
            case LOGIN_USER -> {
                loginUser = text;
                expecting = Expecting.LOGIN_PASSWORD;
                yield new Challenge("334 UGFzc3dvcmQ6");
            }
            case LOGIN_PASSWORD -> new Verify("LOGIN", loginUser, text.toCharArray());
        };
    }

    private static Step plain(String response) {
        String[] fields = response.split("\0", -1);
        if (fields.length != 3 || fields[1].isEmpty()) {
            return new Refused("501 5.5.2 Malformed PLAIN response");
        }
        if (!fields[0].isEmpty() && !fields[0].equals(fields[1])) {
            // Acting for another identity is not something a listener grants.
            return new ForeignIdentity(fields[1]);
        }
        return new Verify("PLAIN", fields[1], fields[2].toCharArray());
    }
}
