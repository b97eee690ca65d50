package org.mailslot.transport.internal.delivery;

import java.util.List;

import jakarta.mail.Address;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;

/**
 * What the delivery needs of an Angus SMTP transport ({@link MailslotSmtpTransport}, created
 * explicitly per TLS mode), so that a {@link Transaction} drives it whatever the port. Methods other than {@link #command} and {@link #response} are the public ones of
 * {@code SMTPTransport}.
 */
interface AngusConnection {

    /** Connects, says EHLO, does STARTTLS as the mode says, and AUTH (only over TLS). */
    void connect(String host, int port, String user, String password) throws MessagingException;

    void sendMessage(Message message, Address[] addresses) throws MessagingException;

    /** @return true if the connection is protected by TLS right now */
    boolean isSSL();

    boolean isConnected();

    void close() throws MessagingException;

    String getLastServerResponse();

    int getLastReturnCode();

    /** @return whether the server's last EHLO listed the extension (AUTH only once TLS is up) */
    boolean supportsExtension(String extension);

    /** @param transaction the transaction the next {@link #sendMessage} runs, or null */
    void transaction(Transaction transaction);

    /**
     * Sends a group of commands without waiting for replies (RFC 2920); their replies are read with
     * {@link #response()}, in order. A group ending in DATA leaves DATA's reply to Angus's own DATA
     * step, which then sends no DATA of its own.
     */
    void pipeline(List<String> commands) throws MessagingException;

    /** Sends one command line (protected in Angus). */
    void command(String command) throws MessagingException;

    /** @return the code of the next reply, its text in {@link #getLastServerResponse()} (protected in Angus) */
    int response() throws MessagingException;
}
