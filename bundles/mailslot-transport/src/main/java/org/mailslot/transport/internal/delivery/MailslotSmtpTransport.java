package org.mailslot.transport.internal.delivery;

import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import javax.net.ssl.SSLSocket;

import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.URLName;

import org.eclipse.angus.mail.smtp.SMTPTransport;
import org.mailslot.support.tls.LayeringSocketFactory;

/**
 * Angus's {@code SMTPTransport}, created explicitly for each port's TLS mode: TLS from the first
 * byte on implicit-TLS ports (RFC 8314, what Angus's {@code SMTPSSLTransport} does), or a start
 * in clear with STARTTLS required, opportunistic, or none; always with the {@link TlsFloor} and
 * the {@link Transaction}'s MAIL and RCPT commands, pipelined with DATA when the server offers
 * PIPELINING, and the body written through {@link DataStream} rather than Angus's line-at-a-time
 * DATA stream.
 */
final class MailslotSmtpTransport extends SMTPTransport implements AngusConnection {

    private final boolean startTlsRequired;
    private final PlainSocketFactory plainSockets;
    private final LayeringSocketFactory tlsSockets;
    private DataStream body;
    private Transaction transaction;
    /** DATA went out in a pipelined group and its reply is unread: Angus's data() must not send it again. */
    private boolean dataSent;
    private final Deadline deadline;
    private final Duration readTimeout;
    private final Duration dataTimeout;
    /** The greeting was read: it came under the connect deadline, each later reply has one of its own. */
    private boolean greeted;

    /**
     * @param session the connection's own session (its properties use the prefix {@code mail.smtps}
     *     for implicit TLS, {@code mail.smtp} otherwise)
     * @param implicitTls whether TLS starts with the first byte
     * @param startTlsRequired whether a port that starts in clear must reach TLS before anything else
     * @param plainSockets the factory of the connection's plain socket (given to Angus in the session)
     * @param tlsSockets the factory of the connection's TLS socket (given to Angus in the session)
     * @param deadline the connection's deadline, armed for the greeting by the caller of connect
     * @param readTimeout the longest wait for each reply after the greeting
     * @param dataTimeout the longest the message content may take to send, from the 354 to the end of data
     */
    MailslotSmtpTransport(Session session, boolean implicitTls, boolean startTlsRequired,
            PlainSocketFactory plainSockets, LayeringSocketFactory tlsSockets, Deadline deadline, Duration readTimeout,
            Duration dataTimeout) {
        super(session, new URLName(protocol(implicitTls), null, -1, null, null, null), protocol(implicitTls), implicitTls);
        this.startTlsRequired = startTlsRequired;
        this.plainSockets = plainSockets;
        this.tlsSockets = tlsSockets;
        this.deadline = deadline;
        this.readTimeout = readTimeout;
        this.dataTimeout = dataTimeout;
    }

    private static String protocol(boolean implicitTls) {
        return implicitTls ? "smtps" : "smtp";
    }

    @Override
    public synchronized void transaction(Transaction next) {
        this.transaction = next;
        this.dataSent = false;
    }

    @Override
    public boolean supportsExtension(String extension) {
        return !TlsFloor.hidden(extension, isSSL()) && super.supportsExtension(extension);
    }

    @Override
    protected boolean supportsAuthentication(String mechanism) {
        return isSSL() && super.supportsAuthentication(mechanism);
    }

    @Override
    protected boolean ehlo(String domain) throws MessagingException {
        boolean accepted = super.ehlo(domain);
        TlsFloor.afterEhlo(accepted, isSSL(), startTlsRequired, accepted && super.supportsExtension("STARTTLS"));
        return accepted;
    }

    @Override
    protected void mailFrom() throws MessagingException {
        transaction.mailFrom(this);
    }

    @Override
    protected void rcptTo() throws MessagingException {
        transaction.rcptTo(this);
    }

    /**
     * Each reply after the greeting gets {@code read.timeout} from the moment it is waited for; the
     * deadline then stays armed, so that the next command's write is bounded too.
     */
    @Override
    protected int readServerResponse() throws MessagingException {
        if (greeted) {
            deadline.arm(Deadline.Step.REPLY, readTimeout);
        }
        int code = super.readServerResponse();
        greeted = true;
        return code;
    }

    /**
     * After DATA's 354: the body goes through {@link DataStream} straight to the connection's stream,
     * within {@code data.timeout} until the end of data is written.
     */
    @Override
    protected OutputStream data() throws MessagingException {
        OutputStream angus = super.data();
        deadline.arm(Deadline.Step.DATA, dataTimeout);
        OutputStream connection = connectionStream();
        body = connection == null ? null : new DataStream(connection);
        return body == null ? angus : body;
    }

    @Override
    protected void finishData() throws IOException, MessagingException {
        if (body != null) {
            body.finish();
            body = null;
        }
        super.finishData();
    }

    /**
     * @return the stream beneath Angus's own buffer (empty after a command): the TLS socket's while
     *     TLS is up, the plain socket's otherwise, or null if neither is known
     */
    private OutputStream connectionStream() throws MessagingException {
        try {
            if (isSSL()) {
                Optional<SSLSocket> socket = tlsSockets.lastSocket();
                return socket.isPresent() ? socket.get().getOutputStream() : null;
            }
            return plainSockets.outputStream();
        } catch (IOException e) {
            throw new MessagingException("Can't send data to SMTP host", e);
        }
    }

    @Override
    public void command(String command) throws MessagingException {
        sendCommand(command);
    }

    @Override
    public void pipeline(List<String> commands) throws MessagingException {
        try {
            plainSockets.hold();
            try {
                for (String command : commands) {
                    super.sendCommand(command);
                }
            } finally {
                plainSockets.release();
            }
        } catch (IOException e) {
            throw new MessagingException("Can't send command to SMTP host", e);
        }
        dataSent = commands.get(commands.size() - 1).equals("DATA");
    }

    @Override
    protected void sendCommand(String command) throws MessagingException {
        if (dataSent && command.equals("DATA")) {
            // Angus's data() reads the reply to the DATA of the pipelined group.
            dataSent = false;
            return;
        }
        super.sendCommand(command);
    }

    @Override
    public int response() throws MessagingException {
        return readServerResponse();
    }
}
