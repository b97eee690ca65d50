package org.mailslot.api.transport;

import java.util.List;
import java.util.Optional;

import org.mailslot.api.mail.Envelope;
import org.mailslot.api.mail.MailAddress;
import org.mailslot.api.mail.MessageSource;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Delivers messages to the next hop over SMTP.
 *
 * <p><b>Lifecycle.</b> Registered while the transport bundle runs; routes come and go with their
 * configuration ({@code org.mailslot.relay~NAME}). Connections to a route are reused across
 * deliveries and closed when idle or when the service goes away.
 *
 * <p><b>Threading.</b> Thread-safe; {@link #deliver} blocks for the duration of the SMTP
 * transaction(s) and may be called concurrently.
 *
 * <p><b>Failure.</b> {@link #deliver} does not throw for anything the network or the peer does:
 * every recipient gets an outcome, temporary when trying again later may help. It throws only
 * for programming errors (null arguments). Every recipient is delivered over the route given,
 * whether or not the route lists its domain: the caller chose the route ({@link #routeFor}, or an
 * operator naming it). A route that is no longer configured, no usable port, a server
 * certificate that fails verification, and refused credentials are temporary failures of every
 * recipient (reply code 0, or the server's 535 for refused credentials): the message is not at
 * fault, and the operator can fix the route while the message waits.
 *
 * <p><b>No pipeline.</b> Calling {@link #deliver} skips the outbound pipeline: no
 * {@link org.mailslot.api.pipeline.MessageProcessor} sees the message, so nothing is encrypted,
 * signed or held by policy. The spool runs the pipeline before it calls the transport; any other
 * caller asks {@link org.mailslot.api.pipeline.OutboundPipeline#requiredFor} first and does not
 * deliver while a stage would have to run.
 *
 * <p><b>Security floor.</b> Credentials are only ever sent over TLS; a port whose strategy
 * requires TLS never carries the message in clear; a certificate that fails verification fails
 * the route and is never a reason to try another port in clear.
 */
@ProviderType
public interface MailTransport {

    /**
     * Delivers one message over one route, trying the route's ports in order (falling back when
     * a port is refused, times out, or lacks the TLS its strategy requires, including a TLS
     * handshake that fails for another reason than the certificate) and, for the MX
     * route, the recipient domain's hosts in preference order.
     *
     * @param envelope the reverse path and recipients; all recipients are delivered over the route
     * @param message the message octets
     * @param route the route, from {@link #routes()} or {@link #routeFor}
     * @return an outcome per recipient and the attempts made
     */
    DeliveryResult deliver(Envelope envelope, MessageSource message, Route route);

    /** @return the configured relay routes and the MX route, relay routes first */
    List<Route> routes();

    /** @return the route of that name, if configured */
    Optional<Route> route(String name);

    /**
     * @param recipient a recipient
     * @return the relay route serving its domain exactly, else a default ({@code *}) relay route,
     *     else the MX route
     */
    Route routeFor(MailAddress recipient);
}
