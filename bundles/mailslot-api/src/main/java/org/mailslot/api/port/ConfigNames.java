package org.mailslot.api.port;

import java.util.Arrays;
import java.util.Locale;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.mailslot.api.mail.MailSyntax;
import org.osgi.annotation.versioning.ProviderType;

/** Parses the lower-case configuration names of the enums in this package. */
@ProviderType
final class ConfigNames {

    private ConfigNames() {
    }

    static <E extends Enum<E>> E parse(E[] values, Function<E, String> name, String text, String what) {
        if (text != null) {
            String wanted = text.trim().toLowerCase(Locale.ROOT).replace('_', '-');
            for (E value : values) {
                if (name.apply(value).equals(wanted)) {
                    return value;
                }
            }
        }
        throw new IllegalArgumentException("Unknown " + what + " " + (text == null ? "null" : MailSyntax.quote(text))
                + "; expected one of: " + Arrays.stream(values).map(name).collect(Collectors.joining(", ")));
    }
}
