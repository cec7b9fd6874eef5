package dev.gantry.runtime.nativeimage;

import com.hubspot.jinjava.Jinjava;
import com.oracle.svm.core.annotate.Substitute;
import com.oracle.svm.core.annotate.TargetClass;
import dev.gantry.runtime.rest.api.ModelList;
import io.quarkus.runtime.annotations.RegisterForReflection;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The native-image registrations stay complete and the substitutions stay in step with the classes they replace,
 * checked on the JVM in every build (a native image cannot be built here): a new JSON record, a new bundled plugin or
 * a changed method signature fails this test instead of a native build that nobody ran.
 */
class NativeImageRegistrationsTest {

    private static final Set<Class<?>> REGISTERED = Set.of(
            NativeImageRegistrations.class.getAnnotation(RegisterForReflection.class).targets());

    @Test
    void everyJsonRecordOfTheApiIsRegistered() throws Exception {
        Path api = classesDirectory(ModelList.class);
        List<String> unregistered = new ArrayList<>();
        try (Stream<Path> files = Files.list(api)) {
            for (Path file : files.toList()) {
                String name = file.getFileName().toString();
                if (name.endsWith(".class") && !name.contains("$")) {
                    Class<?> type = Class.forName(ModelList.class.getPackageName() + "."
                            + name.substring(0, name.length() - ".class".length()));
                    if (!REGISTERED.contains(type)) {
                        unregistered.add(type.getName());
                    }
                }
            }
        }
        assertEquals(List.of(), unregistered, "add them to NativeImageRegistrations");
        assertTrue(REGISTERED.size() > 17);
    }

    @Test
    void everyBundledPluginProviderIsRegisteredAndItsServiceFileIncluded() throws Exception {
        List<String> providers = new ArrayList<>();
        for (URL url : Collections.list(getClass().getClassLoader()
                .getResources("META-INF/services/dev.gantry.spi.GantryPlugin"))) {
            try (InputStream in = url.openStream()) {
                new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().map(String::strip)
                        .filter(l -> !l.isEmpty() && !l.startsWith("#")).forEach(providers::add);
            }
        }
        assertTrue(providers.contains("dev.gantry.plugins.baseline.BaselinePlugin"), providers.toString());
        Set<String> registered = REGISTERED.stream().map(Class::getName).collect(Collectors.toSet());
        for (String provider : providers) {
            assertTrue(registered.contains(provider), provider + " is not registered for a native image");
        }
        String includes = applicationProperties().getProperty("quarkus.native.resources.includes");
        assertTrue(Arrays.asList(includes.split(",")).contains("META-INF/services/dev.gantry.spi.GantryPlugin"),
                includes);
    }

    @Test
    void substitutionsMatchTheMethodsTheyReplace() {
        for (Class<?> substitution : List.of(Target_VectorWidth.class, Target_PluginDiscovery.class)) {
            Class<?> target = substitution.getAnnotation(TargetClass.class).value();
            int substituted = 0;
            for (Method method : substitution.getDeclaredMethods()) {
                if (!method.isAnnotationPresent(Substitute.class)) {
                    continue;
                }
                substituted++;
                Method original;
                try {
                    original = target.getDeclaredMethod(method.getName(), method.getParameterTypes());
                } catch (NoSuchMethodException e) {
                    throw new AssertionError(substitution.getSimpleName() + "." + method.getName()
                            + " replaces no method of " + target.getName());
                }
                assertEquals(original.getReturnType(), method.getReturnType(), method.toString());
                assertEquals(Modifier.isStatic(original.getModifiers()), Modifier.isStatic(method.getModifiers()),
                        method.toString());
            }
            assertTrue(substituted > 0, substitution.getName());
        }
    }

    @Test
    void aPluginPathInANativeImageIsRefusedWithAMessageThatSaysWhy() {
        String message = NativeImageLimits.pluginPathRefused(Path.of("/opt/gantry/plugins"));
        assertTrue(message.startsWith("gantry.plugin-path=/opt/gantry/plugins"), message);
        assertTrue(message.contains("JVM") && message.contains("bundled plugins only"), message);
    }

    @Test
    void theJinjavaFeatureFindsJinjavasLibraryClasses() throws URISyntaxException {
        Path jar = Path.of(Jinjava.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<String> names = JinjavaLibraryFeature.libraryClassNames(jar);
        assertTrue(names.contains("com.hubspot.jinjava.lib.filter.UpperFilter"), names.toString());
        assertTrue(names.contains("com.hubspot.jinjava.lib.fn.Functions"), names.toString());
        assertTrue(names.contains("com.hubspot.jinjava.lib.tag.ForTag"), names.toString());
        assertTrue(names.size() > 100, "found " + names.size());
        assertEquals(List.of(), JinjavaLibraryFeature.libraryClassNames(classesDirectory(ModelList.class)));

        String args = applicationProperties().getProperty("quarkus.native.additional-build-args");
        assertTrue(args.contains("--features=" + JinjavaLibraryFeature.class.getName()), args);
        assertTrue(args.contains("-H:+SharedArenaSupport"), args);
    }

    private static Path classesDirectory(Class<?> type) {
        try {
            Path root = Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
            return root.resolve(type.getPackageName().replace('.', '/'));
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Properties applicationProperties() {
        Properties properties = new Properties();
        try (InputStream in = NativeImageRegistrationsTest.class.getResourceAsStream("/application.properties")) {
            properties.load(in);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return properties;
    }
}
