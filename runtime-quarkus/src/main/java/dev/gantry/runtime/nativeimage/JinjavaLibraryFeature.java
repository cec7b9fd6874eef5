package dev.gantry.runtime.nativeimage;

import org.graalvm.nativeimage.hosted.Feature;
import org.graalvm.nativeimage.hosted.RuntimeReflection;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * Registers Jinjava's built-in filters, functions, tags and tests for reflection when a native image is built.
 * Jinjava creates each of them with {@code Class.newInstance()} when an interpreter starts, and binds functions to
 * static methods by name, so without these registrations rendering a chat template would fail in a native image.
 * The classes are read from the Jinjava jar on the image's class path, so a Jinjava upgrade needs no list kept
 * by hand. Quarkus passes this feature to {@code native-image} ({@code quarkus.native.additional-build-args}).
 */
public final class JinjavaLibraryFeature implements Feature {

    /** Where Jinjava keeps its library classes, as jar entry prefixes. */
    static final String LIBRARY_PREFIX = "com/hubspot/jinjava/lib/";

    /** The package of the static methods that Jinjava's functions are bound to. */
    static final String FUNCTIONS_PREFIX = "com/hubspot/jinjava/lib/fn/";

    @Override
    public String getDescription() {
        return "Registers Jinjava's filters, functions, tags and tests for reflection (Gantry chat templates)";
    }

    @Override
    public void beforeAnalysis(BeforeAnalysisAccess access) {
        for (Path entry : access.getApplicationClassPath()) {
            for (String name : libraryClassNames(entry)) {
                Class<?> type = access.findClassByName(name);
                if (type == null) {
                    continue;
                }
                try {
                    register(type, name.startsWith(FUNCTIONS_PREFIX.replace('/', '.')));
                } catch (LinkageError e) {
                    // A class whose optional dependencies are absent cannot be used by templates either.
                }
            }
        }
    }

    private static void register(Class<?> type, boolean functions) {
        RuntimeReflection.register(type);
        if (!type.isInterface() && !Modifier.isAbstract(type.getModifiers())) {
            for (var constructor : type.getDeclaredConstructors()) {
                if (constructor.getParameterCount() == 0) {
                    RuntimeReflection.register(constructor);
                }
            }
        }
        if (functions) {
            RuntimeReflection.register(type.getDeclaredMethods());
        }
    }

    /**
     * The binary names of Jinjava's library classes in one class path entry; empty for any other entry.
     *
     * @param classPathEntry a jar or directory of the image's class path
     */
    static List<String> libraryClassNames(Path classPathEntry) {
        List<String> names = new ArrayList<>();
        if (!Files.isRegularFile(classPathEntry) || !classPathEntry.toString().endsWith(".jar")) {
            return names;
        }
        try (JarFile jar = new JarFile(classPathEntry.toFile())) {
            Enumeration<JarEntry> entries = jar.entries();
            while (entries.hasMoreElements()) {
                String entry = entries.nextElement().getName();
                if (entry.startsWith(LIBRARY_PREFIX) && entry.endsWith(".class") && !entry.endsWith("package-info.class")) {
                    names.add(entry.substring(0, entry.length() - ".class".length()).replace('/', '.'));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + classPathEntry + ": " + e.getMessage(), e);
        }
        return names;
    }
}
