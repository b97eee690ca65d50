package org.mailslot.itests;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import org.junit.Test;
import org.junit.experimental.categories.Category;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerSuite;

/**
 * Which Karaf each integration test runs in: failsafe's shared-karaf execution keeps one for all of
 * them, so each there must be {@code PerSuite} with the suite's configuration; the others are in the
 * category {@link OwnKaraf}.
 */
public class KarafSharingTest {

    @Test
    public void everyIntegrationTestSharesTheSuitesKarafOrIsInTheCategoryOwnKaraf() throws Exception {
        List<Class<?>> tests = integrationTests();

        assertThat(tests).as("the integration tests found").hasSizeGreaterThan(10);
        assertThat(tests.stream().filter(test -> !ownKaraf(test) && !sharesTheSuitesKaraf(test))
                .map(Class::getSimpleName))
                .as("tests that would start a Karaf beside the shared one (binding its ports)")
                .isEmpty();
    }

    private static boolean ownKaraf(Class<?> test) {
        Category category = test.getAnnotation(Category.class);
        return category != null && Arrays.asList(category.value()).contains(OwnKaraf.class);
    }

    private static boolean sharesTheSuitesKaraf(Class<?> test) {
        ExamReactorStrategy strategy = test.getAnnotation(ExamReactorStrategy.class);
        return strategy != null && Arrays.asList(strategy.value()).equals(List.of(PerSuite.class))
                && Arrays.stream(test.getDeclaredMethods()).noneMatch(method -> method.isAnnotationPresent(Configuration.class)
                        || method.getName().equals("config"));
    }

    private static List<Class<?>> integrationTests() throws IOException, URISyntaxException {
        Path classes = Path.of(KarafSharingTest.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path directory = classes.resolve(KarafSharingTest.class.getPackageName().replace('.', '/'));
        try (Stream<Path> files = Files.list(directory)) {
            return files.map(file -> file.getFileName().toString())
                    .filter(name -> name.endsWith("IT.class"))
                    .<Class<?>>map(name -> load(KarafSharingTest.class.getPackageName() + "." + name.replace(".class", "")))
                    .toList();
        }
    }

    private static Class<?> load(String name) {
        try {
            return Class.forName(name, false, KarafSharingTest.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }
}
