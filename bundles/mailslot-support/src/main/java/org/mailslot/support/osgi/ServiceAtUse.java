package org.mailslot.support.osgi;

import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;

/**
 * A service looked up each time it is used instead of bound by a DS reference. For components the spool
 * reaches through its own references (the transport's TLS results, the crypto policy, the key stores) that
 * call back into the spool: a reference back closes a circle, which Felix SCR reports as an ERROR at boot
 * ("Circular reference detected") and which kept a restarted bundle from being bound at once.
 *
 * @param <S> the service type
 */
public abstract class ServiceAtUse<S> {

    private ServiceAtUse() {
    }

    /**
     * @param context the using bundle's context
     * @param type    the service looked up, the best ranked one at each use
     * @return a service looked up in {@code context} at each use
     */
    public static <S> ServiceAtUse<S> lookedUpIn(BundleContext context, Class<S> type) {
        return new ServiceAtUse<>() {
            @Override
            public <R> Optional<R> apply(Function<? super S, ? extends R> use) {
                ServiceReference<S> reference;
                S service;
                try {
                    reference = context.getServiceReference(type);
                    service = reference == null ? null : context.getService(reference);
                } catch (IllegalStateException stopped) {
                    return Optional.empty();
                }
                if (service == null) {
                    return Optional.empty();
                }
                try {
                    return Optional.ofNullable(use.apply(service));
                } finally {
                    ungetQuietly(context, reference);
                }
            }
        };
    }

    /**
     * @param service the service every use gets, or null for none
     * @return a fixed service, for tests and for code run without the framework
     */
    public static <S> ServiceAtUse<S> fixed(S service) {
        return new ServiceAtUse<>() {
            @Override
            public <R> Optional<R> apply(Function<? super S, ? extends R> use) {
                return service == null ? Optional.empty() : Optional.ofNullable(use.apply(service));
            }
        };
    }

    /**
     * @param use what to do with the service
     * @return what {@code use} gave, or empty when there is no such service now
     */
    public abstract <R> Optional<R> apply(Function<? super S, ? extends R> use);

    /**
     * @param use what to do with the service
     * @return whether there was a service to use
     */
    public final boolean accept(Consumer<? super S> use) {
        return apply(service -> {
            use.accept(service);
            return Boolean.TRUE;
        }).isPresent();
    }

    private static void ungetQuietly(BundleContext context, ServiceReference<?> reference) {
        try {
            context.ungetService(reference);
        } catch (IllegalStateException stopped) {
            // The bundle stopped while it used the service: the framework has released it already.
        }
    }
}
