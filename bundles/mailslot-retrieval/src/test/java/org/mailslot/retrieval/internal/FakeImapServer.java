package org.mailslot.retrieval.internal;

import java.io.IOException;
import java.util.Locale;

import javax.net.ssl.SSLContext;

/**
 * A scripted IMAP server for what a real server does not do: greet with PREAUTH, not offer
 * STARTTLS, or inject a response after "OK Begin TLS" in the same packet.
 */
final class FakeImapServer extends FakeTextServer {

    enum Behaviour { INJECT_AFTER_STARTTLS, PREAUTH_IN_CLEAR, NO_STARTTLS }

    private final Behaviour behaviour;

    FakeImapServer(SSLContext tls, Behaviour behaviour) throws IOException {
        super(tls, "fake-imap");
        this.behaviour = behaviour;
    }

    @Override
    String greeting() {
        return behaviour == Behaviour.PREAUTH_IN_CLEAR ? "* PREAUTH IMAP4rev1 logged in already\r\n"
                : "* OK IMAP4rev1 fake ready\r\n";
    }

    @Override
    Answer answer(String line, boolean secure) {
        String[] parts = line.split(" ", 3);
        String tag = parts[0];
        String command = parts.length > 1 ? parts[1].toUpperCase(Locale.ROOT) : "";
        return switch (command) {
            case "CAPABILITY" -> Answer.reply("* CAPABILITY IMAP4rev1 "
                    + (secure || behaviour == Behaviour.NO_STARTTLS ? "AUTH=PLAIN" : "STARTTLS LOGINDISABLED")
                    + "\r\n" + tag + " OK done\r\n");
            // The injection: a tagged answer to the command the client will send next, in the same
            // packet as the go-ahead, before the handshake.
            case "STARTTLS" -> new Answer(tag + " OK Begin TLS\r\nA2 NO injected before TLS\r\n* BYE injected\r\n",
                    Then.START_TLS);
            case "LOGIN", "AUTHENTICATE" -> Answer.reply(tag + " OK logged in\r\n");
            case "LIST" -> Answer.reply("* LIST () \"/\" INBOX\r\n" + tag + " OK done\r\n");
            case "STATUS" -> Answer.reply("* STATUS INBOX (MESSAGES 0)\r\n" + tag + " OK done\r\n");
            case "LOGOUT" -> new Answer("* BYE bye\r\n" + tag + " OK done\r\n", Then.CLOSE);
            default -> Answer.reply(tag + " OK done\r\n");
        };
    }
}
