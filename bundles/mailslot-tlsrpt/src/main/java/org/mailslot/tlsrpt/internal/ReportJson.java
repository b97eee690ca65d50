package org.mailslot.tlsrpt.internal;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;

import org.mailslot.support.json.JsonWriter;

/**
 * The report of one policy domain for one UTC day, as RFC 8460 section 4.4 writes it: the whole day,
 * from 00:00:00Z to the next day's 00:00:00Z.
 */
final class ReportJson {

    /**
     * @param organization the report's {@code organization-name}
     * @param contact its {@code contact-info}
     * @param submitter the domain the reports come from ({@code TLS-Report-Submitter})
     */
    record Reporter(String organization, String contact, String submitter) {
    }

    private ReportJson() {
    }

    /** @return a report-id unique per day, policy domain and submitter */
    static String reportId(LocalDate day, String domain, String submitter) {
        return start(day) + "_" + domain + "@" + submitter;
    }

    static String start(LocalDate day) {
        return DateTimeFormatter.ISO_INSTANT.format(day.atStartOfDay(ZoneOffset.UTC).toInstant());
    }

    static String end(LocalDate day) {
        return start(day.plusDays(1));
    }

    static String of(Reporter reporter, LocalDate day, String domain, Map<DayTally.Policy, DayTally.Counts> policies) {
        JsonWriter json = new JsonWriter().beginObject()
                .field("organization-name", reporter.organization())
                .name("date-range").beginObject().field("start-datetime", start(day)).field("end-datetime", end(day))
                .endObject()
                .field("contact-info", reporter.contact())
                .field("report-id", reportId(day, domain, reporter.submitter()))
                .name("policies").beginArray();
        for (Map.Entry<DayTally.Policy, DayTally.Counts> entry : policies.entrySet()) {
            DayTally.Policy policy = entry.getKey();
            DayTally.Counts counts = entry.getValue();
            json.beginObject().name("policy").beginObject().field("policy-type", policy.type().keyword());
            strings(json, "policy-string", policy.strings());
            json.field("policy-domain", policy.domain());
            strings(json, "mx-host", policy.mx());
            json.endObject()
                    .name("summary").beginObject()
                    .field("total-successful-session-count", counts.successes())
                    .field("total-failure-session-count", counts.failureCount())
                    .endObject();
            if (!counts.failures().isEmpty()) {
                json.name("failure-details").beginArray();
                List<Map.Entry<DayTally.Failure, Long>> failures = counts.failures().entrySet().stream()
                        .sorted(Map.Entry.comparingByKey(DayTally.Failure.ORDER)).toList();
                for (Map.Entry<DayTally.Failure, Long> failure : failures) {
                    DayTally.Failure f = failure.getKey();
                    json.beginObject().field("result-type", f.type().keyword());
                    optional(json, "sending-mta-ip", f.sendingIp());
                    optional(json, "receiving-mx-hostname", f.receivingMx());
                    optional(json, "receiving-ip", f.receivingIp());
                    json.field("failed-session-count", failure.getValue());
                    optional(json, "failure-reason-code", f.reason());
                    json.endObject();
                }
                json.endArray();
            }
            json.endObject();
        }
        return json.endArray().endObject().toString();
    }

    private static void strings(JsonWriter json, String name, List<String> values) {
        if (!values.isEmpty()) {
            json.name(name).beginArray();
            values.forEach(json::value);
            json.endArray();
        }
    }

    private static void optional(JsonWriter json, String name, String value) {
        if (!value.isEmpty()) {
            json.field(name, value);
        }
    }

}
