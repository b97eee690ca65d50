package org.mailslot.tlsrpt.internal;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A domain's TLSRPT policy (RFC 8460 section 3): the {@code _smtp._tls.DOMAIN} TXT record
 * {@code v=TLSRPTv1; rua=mailto:tlsrpt@example.com,https://reports.example.com/tlsrpt}.
 *
 * @param rua where reports go: {@code mailto:} and {@code https:} URIs, in the record's order
 */
record TlsRptRecord(List<URI> rua) {

    static final String VERSION = "v=TLSRPTv1";

    TlsRptRecord {
        rua = List.copyOf(rua);
    }

    /** @return the owner name of a domain's record */
    static String nameOf(String domain) {
        return "_smtp._tls." + domain;
    }

    /**
     * @param texts the TXT records at the name, each its strings joined
     * @return the policy; empty unless exactly one record begins with {@code v=TLSRPTv1;} (section 3)
     * @throws IllegalArgumentException saying why that one record is not a valid policy
     */
    static Optional<TlsRptRecord> of(List<String> texts) {
        List<String> records = texts.stream().filter(t -> t.startsWith(VERSION)
                && t.substring(VERSION.length()).stripLeading().startsWith(";")).toList();
        if (records.size() != 1) {
            return Optional.empty();
        }
        return Optional.of(parse(records.get(0)));
    }

    static TlsRptRecord parse(String record) {
        List<URI> rua = null;
        String[] fields = record.split(";");
        for (int i = 1; i < fields.length; i++) {
            String field = fields[i].strip();
            if (field.regionMatches(true, 0, "rua=", 0, 4)) {
                if (rua != null) {
                    throw new IllegalArgumentException("more than one rua field: " + record);
                }
                rua = uris(field.substring(4), record);
            }
        }
        if (rua == null || rua.isEmpty()) {
            throw new IllegalArgumentException("no rua with a mailto: or https: URI: " + record);
        }
        return new TlsRptRecord(rua);
    }

    private static List<URI> uris(String value, String record) {
        List<URI> uris = new ArrayList<>();
        for (String part : value.split(",")) {
            String text = part.strip();
            try {
                URI uri = new URI(text);
                String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
                if (scheme.equals("mailto") && uri.getSchemeSpecificPart().contains("@")
                        || scheme.equals("https") && uri.getHost() != null) {
                    uris.add(uri);
                }
                // Other schemes are not RFC 8460's: ignored, as the record's other destinations still count.
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException("rua " + text + " is not a URI: " + e.getReason() + " (" + record + ")", e);
            }
        }
        return uris;
    }
}
