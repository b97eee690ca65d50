package org.mailslot.testing.peers;

import java.lang.reflect.Array;
import java.lang.reflect.Proxy;
import java.util.Map;

/**
 * Builds a Declarative Services component property type (an {@code @interface} configuration)
 * from properties the way DS does, so that tests construct components with {@code new}:
 * {@code tls_mode()} reads {@code tls.mode}, {@code _password()} reads {@code .password},
 * a missing property gives the annotation's default (or zero, false, null without one), a scalar given for an array becomes one
 * element, and numbers and booleans may be given as strings, as in a {@code .cfg} file.
 */
public final class ComponentConfig {

    private ComponentConfig() {
    }

    /**
     * @param type the configuration annotation type
     * @param properties configuration properties, by their DS names ({@code tls.mode})
     * @return an instance of the annotation answering from the properties
     */
    public static <A> A of(Class<A> type, Map<String, ?> properties) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> {
            switch (method.getName()) {
                case "annotationType":
                    return type;
                case "toString":
                    return type.getSimpleName() + properties;
                case "hashCode":
                    return System.identityHashCode(proxy);
                case "equals":
                    return proxy == args[0];
                default:
                    Object value = properties.get(propertyName(method.getName()));
                    if (value != null) {
                        return coerce(value, method.getReturnType());
                    }
                    Object fallback = method.getDefaultValue();
                    return fallback != null ? fallback : zero(method.getReturnType());
            }
        }));
    }

    /** The DS 1.4 name mapping: {@code __} is {@code _}, {@code _} is {@code .}, {@code $_$} is {@code -}. */
    static String propertyName(String method) {
        return method.replace("$_$", "-").replace("__", "\u0000").replace('_', '.').replace('\u0000', '_');
    }

    /** What DS gives for a missing property without a default: zero, false, or null. */
    private static Object zero(Class<?> type) {
        if (!type.isPrimitive()) {
            return null;
        }
        return type == boolean.class ? Boolean.FALSE : coerce("0", type);
    }

    private static Object coerce(Object value, Class<?> type) {
        if (type.isArray()) {
            Object[] values = value instanceof Object[] array ? array : new Object[] {value};
            Object result = Array.newInstance(type.getComponentType(), values.length);
            for (int i = 0; i < values.length; i++) {
                Array.set(result, i, coerce(values[i], type.getComponentType()));
            }
            return result;
        }
        if (type.isInstance(value) || (type.isPrimitive() && !(value instanceof String))) {
            return value;
        }
        String text = value.toString().trim();
        return switch (type.getName()) {
            case "int", "java.lang.Integer" -> Integer.valueOf(text);
            case "long", "java.lang.Long" -> Long.valueOf(text);
            case "boolean", "java.lang.Boolean" -> Boolean.valueOf(text);
            case "double", "java.lang.Double" -> Double.valueOf(text);
            case "java.lang.String" -> text;
            default -> throw new IllegalArgumentException("Cannot turn " + value + " into " + type.getName());
        };
    }
}
