package org.mailslot.support.pipeline;

import java.util.List;
import java.util.Locale;

import org.mailslot.support.config.ListProperty;

/**
 * A property that names the stages (by {@code mailslot.processor.name}) without which nothing goes
 * on: the spool's {@code pipeline.required} and retrieval's {@code inbound.required}. Their
 * defaults name the crypto stages, so an installation without configuration fails closed; an
 * operator who wants no required stage says so with {@value #NONE}. An empty value is refused
 * rather than read as "none", since it may as well be a value left out by mistake.
 */
public final class RequiredStages {

    /** The value that requires no stage. */
    public static final String NONE = "none";

    private RequiredStages() {
    }

    /**
     * @param property the property's name, for the error
     * @param values the property's values: a list, or one value of names separated by commas or spaces
     * @return the names, in order, without duplicates; empty for {@value #NONE}
     * @throws IllegalArgumentException naming the property if it names nothing, or {@value #NONE} beside a stage
     */
    public static List<String> parse(String property, String[] values) {
        List<String> names = ListProperty.split(property, values).stream().distinct().toList();
        if (names.isEmpty()) {
            throw new IllegalArgumentException(property + " is empty: name the required stages, or " + NONE
                    + " to require no stage");
        }
        boolean none = names.stream().anyMatch(name -> name.toLowerCase(Locale.ROOT).equals(NONE));
        if (none && names.size() > 1) {
            throw new IllegalArgumentException(property + " names " + NONE + " beside the stages " + names
                    + ": write " + NONE + " alone to require no stage");
        }
        return none ? List.of() : names;
    }
}
