package org.mailslot.retrieval.internal;

import java.io.IOException;
import java.util.Locale;

import javax.net.ssl.SSLContext;

/** A scripted POP3 server that injects a line after "+OK Begin TLS" in the same packet, or offers no STLS. */
final class FakePop3Server extends FakeTextServer {

    private final boolean offerStls;

    FakePop3Server(SSLContext tls, boolean offerStls) throws IOException {
        super(tls, "fake-pop3");
        this.offerStls = offerStls;
    }

    @Override
    String greeting() {
        return "+OK fake POP3 ready\r\n";
    }

    @Override
    Answer answer(String line, boolean secure) {
        return switch (line.split(" ", 2)[0].toUpperCase(Locale.ROOT)) {
            case "CAPA" -> Answer.reply("+OK\r\n" + (secure || !offerStls ? "USER\r\nUIDL\r\n" : "STLS\r\nUIDL\r\n") + ".\r\n");
            case "STLS" -> new Answer("+OK Begin TLS\r\n-ERR injected before TLS\r\n", Then.START_TLS);
            case "STAT" -> Answer.reply("+OK 0 0\r\n");
            case "UIDL", "LIST" -> Answer.reply("+OK\r\n.\r\n");
            case "QUIT" -> new Answer("+OK bye\r\n", Then.CLOSE);
            default -> Answer.reply("+OK\r\n");
        };
    }
}
