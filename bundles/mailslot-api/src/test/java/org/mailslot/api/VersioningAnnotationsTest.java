package org.mailslot.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.mailslot.api.mail.MailAddress;
import org.objectweb.asm.AnnotationVisitor;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.Opcodes;

/**
 * Every public type of the API says who implements it, so that bnd's baseline knows whether a
 * new method is a minor or a major change. The annotations are kept in the class files only,
 * so the test reads those rather than asking reflection.
 */
class VersioningAnnotationsTest {

    private static final String PROVIDER = "Lorg/osgi/annotation/versioning/ProviderType;";
    private static final String CONSUMER = "Lorg/osgi/annotation/versioning/ConsumerType;";

    @Test
    void everyPublicTypeIsMarkedProviderOrConsumer() throws Exception {
        List<ApiType> types = publicTypes();

        assertThat(types).as("public API types found").hasSizeGreaterThan(60)
                .extracting(ApiType::name).contains("org.mailslot.api.mail.MailAddress",
                        "org.mailslot.api.pipeline.ProcessingResult$Copy");
        assertThat(types).filteredOn(type -> type.markers().size() != 1).extracting(ApiType::describe)
                .as("types with not exactly one of @ProviderType and @ConsumerType").isEmpty();
    }

    @Test
    void whatThirdPartiesImplementIsAConsumerType() throws Exception {
        assertThat(publicTypes()).filteredOn(type -> type.markers().contains(CONSUMER)).extracting(ApiType::name)
                .contains("org.mailslot.api.pipeline.MessageProcessor", "org.mailslot.api.retrieval.MessageHandler",
                        "org.mailslot.api.retrieval.InboundProcessor", "org.mailslot.api.port.PortStrategy",
                        "org.mailslot.api.mail.MessageSource");
    }

    private static List<ApiType> publicTypes() throws IOException, URISyntaxException {
        Path classes = Path.of(MailAddress.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        try (Stream<Path> files = Files.walk(classes.resolve("org/mailslot/api"))) {
            List<ApiType> types = new ArrayList<>();
            files.filter(file -> file.toString().endsWith(".class"))
                    .filter(file -> !file.getFileName().toString().equals("package-info.class"))
                    .map(VersioningAnnotationsTest::read).filter(ApiType::isPublic).forEach(types::add);
            return types;
        }
    }

    private static ApiType read(Path classFile) {
        try (InputStream in = Files.newInputStream(classFile)) {
            ApiTypeReader reader = new ApiTypeReader();
            new ClassReader(in).accept(reader, ClassReader.SKIP_CODE);
            return new ApiType(reader.name.replace('/', '.'), reader.access, reader.markers);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private record ApiType(String name, int access, Set<String> markers) {

        boolean isPublic() {
            return (access & Opcodes.ACC_PUBLIC) != 0 && (access & Opcodes.ACC_SYNTHETIC) == 0;
        }

        String describe() {
            return name + " " + markers;
        }
    }

    /** The class's name, its access as declared (a member type's comes from InnerClasses) and its markers. */
    private static final class ApiTypeReader extends ClassVisitor {

        private String name;
        private int access;
        private final Set<String> markers = new TreeSet<>();

        ApiTypeReader() {
            super(Opcodes.ASM9);
        }

        @Override
        public void visit(int version, int access, String name, String signature, String superName,
                String[] interfaces) {
            this.name = name;
            this.access = access;
        }

        @Override
        public void visitInnerClass(String name, String outerName, String innerName, int access) {
            if (name.equals(this.name)) {
                this.access = outerName == null ? 0 : access;
            }
        }

        @Override
        public AnnotationVisitor visitAnnotation(String descriptor, boolean visible) {
            if (descriptor.equals(PROVIDER) || descriptor.equals(CONSUMER)) {
                markers.add(descriptor);
            }
            return null;
        }
    }
}
