package org.mailslot.smtp.internal;

import java.lang.reflect.Proxy;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/** Component property types as DS builds them: {@code a.b} for {@code a_b()}, defaults otherwise. */
final class Configs {

    private Configs() {
    }

    static <A> A of(Class<A> type, Object... keysAndValues) {
        Map<String, Object> properties = new HashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            properties.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return type.cast(Proxy.newProxyInstance(Configs.class.getClassLoader(), new Class<?>[] {type},
                (proxy, method, args) -> switch (method.getName()) {
                    case "annotationType" -> type;
                    case "toString" -> type.getSimpleName() + properties;
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> {
                        String key = method.getName().replace('_', '.');
                        if (key.startsWith(".")) {
                            key = key.substring(1);
                        }
                        Object value = properties.get(key);
                        if (value instanceof String text && method.getReturnType() == String[].class) {
                            yield new String[] {text};
                        }
                        if (value instanceof Object[] array && method.getReturnType() == String[].class) {
                            yield Arrays.copyOf(array, array.length, String[].class);
                        }
                        if (value == null && method.getDefaultValue() == null && method.getReturnType() == int.class) {
                            yield 0;
                        }
                        yield value != null ? value : method.getDefaultValue();
                    }
                }));
    }
}
