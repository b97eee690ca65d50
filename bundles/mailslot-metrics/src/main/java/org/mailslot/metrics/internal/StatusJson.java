package org.mailslot.metrics.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.mailslot.api.listener.ListenerStatus;
import org.mailslot.api.retrieval.AccountStatus;
import org.mailslot.api.tls.TlsIdentity;
import org.mailslot.support.json.JsonWriter;

/** The status page's data: a {@link Snapshot} and the hour's samples as JSON, safe to embed in HTML. */
final class StatusJson {

    private final StringBuilder out = new StringBuilder();

    private StatusJson() {
    }

    static String of(Snapshot snapshot, List<History.Sample> history) {
        StatusJson json = new StatusJson();
        json.write(snapshot, history);
        return json.out.toString();
    }

    private void write(Snapshot s, List<History.Sample> history) {
        out.append("{\"at\":").append(string(s.at().toString()));
        out.append(",\"queue\":");
        if (s.queue().isEmpty()) {
            out.append("null");
        } else {
            QueueFigures q = s.queue().get();
            out.append("{\"depth\":").append(q.depth())
                    .append(",\"oldestAgeSeconds\":").append(q.oldestAge().map(Duration::toSeconds).orElse(0L))
                    .append(",\"waiting\":[");
            join(q.waiting(), g -> out.append("{\"reason\":").append(string(g.reason()))
                    .append(",\"kind\":").append(string(g.kind().label())).append(",\"messages\":").append(g.messages()).append('}'));
            out.append("]}");
        }
        out.append(",\"listeners\":[");
        join(s.listeners(), this::listener);
        out.append("],\"accounts\":[");
        join(s.accounts(), this::account);
        out.append("],\"routes\":[");
        join(s.routes(), r -> out.append("{\"route\":").append(string(r.route())).append(",\"delivered\":").append(r.delivered())
                .append(",\"deferred\":").append(r.deferred()).append(",\"bounced\":").append(r.bounced())
                .append(",\"meanAttemptMillis\":").append(r.attempts() == 0 ? "null" : String.valueOf(r.attemptTime().toMillis() / r.attempts()))
                .append('}'));
        out.append("],\"suspended\":[");
        join(s.suspended(), d -> out.append(string(d)));
        out.append("],\"tls\":");
        Optional<TlsIdentity> identity = s.tls().flatMap(t -> t.identity());
        if (s.tls().isEmpty()) {
            out.append("null");
        } else {
            out.append("{\"identity\":");
            if (identity.isEmpty()) {
                out.append("null");
            } else {
                TlsIdentity id = identity.get();
                out.append("{\"subject\":").append(string(id.subject()))
                        .append(",\"notAfter\":").append(string(id.notAfter().toString()))
                        .append(",\"daysLeft\":").append(Duration.between(s.at(), id.notAfter()).toDays())
                        .append(",\"selfSignedDefault\":").append(id.selfSignedDefault())
                        .append(",\"source\":").append(string(id.source())).append('}');
            }
            out.append(",\"lastError\":").append(optional(s.tls().get().lastError())).append('}');
        }
        out.append(",\"history\":[");
        join(history, h -> out.append("{\"at\":").append(h.at().toEpochMilli()).append(",\"depth\":").append(h.depth())
                .append(",\"accepted\":").append(h.accepted()).append(",\"delivered\":").append(h.delivered()).append('}'));
        out.append("]}");
    }

    private void listener(ListenerStatus l) {
        out.append("{\"name\":").append(string(l.name())).append(",\"address\":").append(string(l.address()))
                .append(",\"port\":").append(l.port()).append(",\"state\":").append(string(l.state().toString()))
                .append(",\"detail\":").append(string(l.detail())).append(",\"connections\":").append(l.connections())
                .append(",\"accepted\":").append(l.messagesAccepted()).append('}');
    }

    private void account(AccountStatus a) {
        out.append("{\"name\":").append(string(a.name())).append(",\"protocol\":").append(string(a.protocol()))
                .append(",\"server\":").append(string(a.server())).append(",\"state\":").append(string(a.state().toString()))
                .append(",\"lastSync\":").append(optional(a.lastSync().map(Instant::toString)))
                .append(",\"retrieved\":").append(a.retrieved()).append(",\"pending\":").append(a.pending())
                .append(",\"lastError\":").append(optional(a.lastError())).append('}');
    }

    private <T> void join(List<T> items, java.util.function.Consumer<T> each) {
        for (int i = 0; i < items.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            each.accept(items.get(i));
        }
    }

    private static String optional(Optional<String> value) {
        return value.map(StatusJson::string).orElse("null");
    }

    /** A JSON string; {@code <}, {@code >} and {@code &} escaped too, so it cannot end a script element. */
    static String string(String value) {
        return JsonWriter.quote(value);
    }
}
