package org.mailslot.transport.internal.mtasts;

import java.util.List;

/**
 * The {@code _mta-sts} TXT record of a policy domain (RFC 8461 section 3.1): that it has a policy,
 * and the id of the policy's current version.
 *
 * @param id 1 to 32 letters and digits; a new id means a new policy to fetch
 */
public record StsRecord(String id) {

    public StsRecord {
        if (id == null || id.isEmpty() || id.length() > 32 || !id.chars().allMatch(StsRecord::alphanumeric)) {
            throw new IllegalArgumentException("id " + id + " is not 1 to 32 letters and digits");
        }
    }

    /**
     * @param texts the TXT records at {@code _mta-sts.DOMAIN}, each its strings joined
     * @return the record, from the one text that starts with {@code v=STSv1;}
     * @throws IllegalArgumentException if none or several do, or that one is malformed: the domain
     *     is then taken to publish no policy
     */
    public static StsRecord parse(List<String> texts) {
        List<String> sts = texts.stream().filter(text -> text.startsWith("v=STSv1;") || text.equals("v=STSv1")).toList();
        if (sts.size() != 1) {
            throw new IllegalArgumentException(sts.isEmpty() ? "no TXT record starts with v=STSv1"
                    : sts.size() + " TXT records start with v=STSv1 (one is allowed)");
        }
        String id = null;
        String[] fields = sts.get(0).split(";", -1);
        for (int i = 1; i < fields.length; i++) {
            String field = fields[i].strip();
            if (field.isEmpty()) {
                continue;
            }
            int equals = field.indexOf('=');
            if (equals <= 0) {
                throw new IllegalArgumentException("field " + field + " is not name=value");
            }
            if (field.substring(0, equals).equals("id") && id == null) {
                id = field.substring(equals + 1);
            }
        }
        if (id == null) {
            throw new IllegalArgumentException("the v=STSv1 record has no id");
        }
        return new StsRecord(id);
    }

    private static boolean alphanumeric(int c) {
        return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z';
    }
}
