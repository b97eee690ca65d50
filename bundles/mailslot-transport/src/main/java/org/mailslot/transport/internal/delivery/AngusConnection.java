package org.mailslot.transport.internal.delivery;

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

    int simpleCommand(String command) throws MessagingException;

    String getLastServerResponse();

    int getLastReturnCode();

    /** @return whether the server's last EHLO listed the extension (AUTH only once TLS is up) */
    boolean supportsExtension(String extension);

    /** @param transaction the transaction the next {@link #sendMessage} runs, or null */
    void transaction(Transaction transaction);

    /** Sends one command line (protected in Angus). */
    void command(String command) throws MessagingException;

    /** @return the code of the next reply, its text in {@link #getLastServerResponse()} (protected in Angus) */
    int response() throws MessagingException;
}
