package org.mailslot.shell.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.mailslot.api.listener.ListenerStatus;
import org.mailslot.api.mail.MailAddress;
import org.mailslot.api.retrieval.AccountStatus;
import org.mailslot.api.spool.QueueEntry;
import org.mailslot.api.spool.RecipientState;
import org.mailslot.api.tls.TlsIdentity;
import org.mailslot.api.tls.TlsStatus;
import org.mailslot.support.json.JsonWriter;

/**
 * What {@code --json} prints, for scripts. The field names are a contract (README.md, "Scripting the shell"):
 * add fields, never rename or remove one. Times are ISO-8601 in UTC, absent values {@code null}.
 */
final class JsonForms {

    private JsonForms() {
    }

    /**
     * @param spool the spool's entries, or null when no spool runs
     * @param tls the TLS status, or null when no TLS service runs
     */
    static String status(Health health, Duration maxWait, List<ComponentStates.Row> components, List<QueueEntry> spool,
            List<PortStrategyRows.Row> strategies, TlsStatus tls, List<PipelineRows.Row> pipeline) {
        JsonWriter json = new JsonWriter().beginObject().field("healthy", health.healthy());
        json.name("problems").beginArray();
        health.problems().forEach(json::value);
        json.endArray().field("maxWaitSeconds", maxWait.toSeconds());
        json.name("components").beginArray();
        for (ComponentStates.Row row : components) {
            json.beginObject().field("component", row.component()).field("bundle", row.bundle())
                    .field("state", row.state()).field("detail", row.detail()).endObject();
        }
        json.endArray().name("spool");
        if (spool == null) {
            json.value((String) null);
        } else {
            json.beginObject().field("depth", spool.size())
                    .field("oldestAcceptedAt", spool.stream().map(QueueEntry::acceptedAt).min(Instant::compareTo)
                            .map(Instant::toString).orElse(null));
            json.name("waiting").beginArray();
            for (WaitingMessages.Group group : WaitingMessages.of(spool)) {
                json.beginObject().field("reason", group.kind().name()).field("detail", group.reason())
                        .field("messages", group.ids().size()).name("ids").beginArray();
                group.ids().forEach(json::value);
                json.endArray().endObject();
            }
            json.endArray().endObject();
        }
        json.name("portStrategies").beginArray();
        for (PortStrategyRows.Row row : strategies) {
            json.beginObject().field("port", row.port()).field("role", row.role()).field("tls", row.tlsMode())
                    .field("auth", row.authPolicy()).field("ranking", row.ranking()).field("inForce", row.inForce())
                    .field("origin", row.origin()).endObject();
        }
        json.endArray().name("tls");
        tls(json, tls);
        json.name("pipeline").beginArray();
        for (PipelineRows.Row row : pipeline) {
            json.beginObject().field("position", row.position()).field("stage", row.name())
                    .field("ranking", row.ranking()).field("bundle", row.bundle()).endObject();
        }
        return json.endArray().endObject().toString();
    }

    private static void tls(JsonWriter json, TlsStatus tls) {
        if (tls == null) {
            json.value((String) null);
            return;
        }
        json.beginObject().name("identity");
        Optional<TlsIdentity> identity = tls.identity();
        if (identity.isEmpty()) {
            json.value((String) null);
        } else {
            TlsIdentity id = identity.get();
            json.beginObject().field("subject", id.subject()).field("issuer", id.issuer())
                    .field("notAfter", id.notAfter().toString()).field("selfSignedDefault", id.selfSignedDefault())
                    .field("source", id.source()).endObject();
        }
        json.name("protocols").beginArray();
        tls.protocols().forEach(json::value);
        json.endArray().field("lastError", tls.lastError().orElse(null)).endObject();
    }

    /**
     * @param matching how many messages matched the filters, of which {@code page} are shown
     * @param offset how many matching messages were skipped before the page
     */
    static String queue(int matching, int offset, List<QueueEntry> page) {
        JsonWriter json = new JsonWriter().beginObject().field("matching", matching).field("offset", offset);
        json.name("messages").beginArray();
        for (QueueEntry entry : page) {
            message(json, entry);
        }
        return json.endArray().endObject().toString();
    }

    /**
     * @param body the body as text, or null when not asked for
     * @param history the message's mail-log lines, oldest first
     */
    /** @param unreadable why the header and body are null: the store could not read the octets now */
    static String queueShow(QueueEntry entry, String header, String body, String unreadable, String historyFile,
            List<String> history) {
        JsonWriter json = new JsonWriter().beginObject().name("message");
        message(json, entry);
        json.field("header", header).field("body", body).field("unreadable", unreadable).field("historyFile", historyFile)
                .name("history").beginArray();
        history.forEach(json::value);
        return json.endArray().endObject().toString();
    }

    static void message(JsonWriter json, QueueEntry entry) {
        json.beginObject().field("id", entry.id())
                .field("sender", entry.sender().map(MailAddress::toString).orElse(""))
                .field("size", entry.size())
                .field("acceptedAt", entry.acceptedAt().toString())
                .field("attempts", entry.attempts())
                .field("nextAttempt", entry.nextAttempt().map(Instant::toString).orElse(null))
                .field("held", entry.held())
                .name("waiting");
        if (entry.waiting().isEmpty()) {
            json.value((String) null);
        } else {
            json.beginObject().field("reason", entry.waiting().get().reason().name())
                    .field("detail", entry.waiting().get().detail()).endObject();
        }
        json.field("lastError", entry.lastError().orElse(null)).name("recipients").beginArray();
        for (RecipientState recipient : entry.recipients()) {
            json.beginObject().field("address", recipient.address().toString())
                    .field("status", recipient.status().name().toLowerCase())
                    .field("lastReply", recipient.lastReply().orElse(null)).endObject();
        }
        json.endArray().endObject();
    }

    static String listeners(List<ListenerStatus> listeners) {
        JsonWriter json = new JsonWriter().beginObject().name("listeners").beginArray();
        for (ListenerStatus l : listeners) {
            json.beginObject().field("name", l.name()).field("address", l.address()).field("port", l.port())
                    .field("strategyPort", l.strategyPort()).field("tlsMode", l.tlsMode().map(Object::toString).orElse(null))
                    .field("state", l.state().toString()).field("detail", l.detail())
                    .field("connections", l.connections()).field("accepted", l.messagesAccepted()).endObject();
        }
        return json.endArray().endObject().toString();
    }

    static String accounts(List<AccountStatus> accounts) {
        JsonWriter json = new JsonWriter().beginObject().name("accounts").beginArray();
        for (AccountStatus a : accounts) {
            json.beginObject().field("name", a.name()).field("protocol", a.protocol()).field("server", a.server())
                    .field("state", a.state().toString()).field("lastSync", a.lastSync().map(Instant::toString).orElse(null))
                    .field("retrieved", a.retrieved()).field("pending", a.pending())
                    .field("lastError", a.lastError().orElse(null)).endObject();
        }
        return json.endArray().endObject().toString();
    }
}
