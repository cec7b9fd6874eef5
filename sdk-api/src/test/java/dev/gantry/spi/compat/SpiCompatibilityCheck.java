package dev.gantry.spi.compat;

import japicmp.cmp.JApiCmpArchive;
import japicmp.cmp.JarArchiveComparator;
import japicmp.cmp.JarArchiveComparatorOptions;
import japicmp.model.AccessModifier;
import japicmp.model.JApiClass;
import japicmp.model.JApiCompatibility;
import japicmp.model.JApiCompatibilityChange;
import japicmp.model.JApiConstructor;
import japicmp.model.JApiField;
import japicmp.model.JApiMethod;
import javassist.CtClass;
import javassist.bytecode.AnnotationsAttribute;
import javassist.bytecode.annotation.Annotation;
import javassist.bytecode.annotation.EnumMemberValue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Gantry's SPI compatibility check: japicmp compares the last released {@code gantry-sdk-api} jar with the SPI
 * being built and reports every change that breaks plugins compiled against the release, binary or source
 * (public and protected elements). A change is excused when the element, or a type enclosing it, was
 * {@code @Api(status = EXPERIMENTAL)} or {@code INTERNAL} in the release, or when it is listed in the accepted
 * breaks file with its reason.
 *
 * <p>The exclusion reads the annotation's {@code status} value, which japicmp's own annotation filter cannot
 * (it matches an annotation type, and {@code @Api} marks stable elements too); that is why the check drives
 * japicmp as a library instead of through its Maven plugin.
 */
final class SpiCompatibilityCheck {

    private static final String API = "dev.gantry.spi.Api";
    private static final Set<String> EXCUSED = Set.of("EXPERIMENTAL", "INTERNAL");

    /**
     * One incompatible change of a stable element.
     *
     * @param element the element: {@code pkg.Type}, {@code pkg.Type#method(params)} or {@code pkg.Type#field}
     * @param change  japicmp's name for the change, such as {@code METHOD_REMOVED}
     * @param binary  whether plugins already compiled keep working
     */
    record Break(String element, String change, boolean binary) {

        /** The line that accepts this break in the accepted-breaks file (followed by {@code | reason}). */
        String key() {
            return element + " | " + change;
        }

        @Override
        public String toString() {
            return element + ": " + change + (binary ? " (source-incompatible)" : " (binary-incompatible)");
        }
    }

    private SpiCompatibilityCheck() {
    }

    /**
     * The breaks between {@code baseline} (the released jar) and {@code current} (a jar of the SPI being built)
     * that are neither excused by their status nor accepted.
     *
     * @param accepted keys ({@link Break#key()}) of breaks accepted for the next release
     */
    static List<Break> breaks(Path baseline, Path current, Set<String> accepted) {
        JarArchiveComparatorOptions options = new JarArchiveComparatorOptions();
        options.setAccessModifier(AccessModifier.PROTECTED);
        JarArchiveComparator comparator = new JarArchiveComparator(options);
        List<JApiClass> classes = comparator.compare(new JApiCmpArchive(baseline.toFile(), "baseline"),
                new JApiCmpArchive(current.toFile(), "current"));
        Map<String, CtClass> old = new HashMap<>();
        classes.forEach(c -> c.getOldClass().ifPresent(k -> old.put(k.getName(), k)));
        List<Break> found = new ArrayList<>();
        for (JApiClass c : classes) {
            if (c.getOldClass().isPresent() && excused(c.getOldClass().get(), old)) {
                continue;
            }
            String type = c.getFullyQualifiedName();
            collect(type, c, found);
            for (JApiMethod m : c.getMethods()) {
                if (m.getOldMethod().map(x -> excused(x.getMethodInfo().getAttribute(AnnotationsAttribute.visibleTag)))
                        .orElse(false)) {
                    continue;
                }
                collect(type + "#" + m.getName() + signature(m.getOldMethod().map(x -> x.getSignature())
                        .or(() -> m.getNewMethod().map(x -> x.getSignature()))), m, found);
            }
            for (JApiConstructor k : c.getConstructors()) {
                if (k.getOldConstructor().map(x -> excused(x.getMethodInfo()
                        .getAttribute(AnnotationsAttribute.visibleTag))).orElse(false)) {
                    continue;
                }
                collect(type + "#<init>" + signature(k.getOldConstructor().map(x -> x.getSignature())
                        .or(() -> k.getNewConstructor().map(x -> x.getSignature()))), k, found);
            }
            for (JApiField f : c.getFields()) {
                if (f.getOldFieldOptional().map(x -> excused(x.getFieldInfo()
                        .getAttribute(AnnotationsAttribute.visibleTag))).orElse(false)) {
                    continue;
                }
                collect(type + "#" + f.getName(), f, found);
            }
        }
        return found.stream().filter(b -> !accepted.contains(b.key())).toList();
    }

    private static void collect(String element, JApiCompatibility subject, List<Break> into) {
        for (JApiCompatibilityChange change : subject.getCompatibilityChanges()) {
            if (!change.isBinaryCompatible() || !change.isSourceCompatible()) {
                into.add(new Break(element, change.getType().name(), change.isBinaryCompatible()));
            }
        }
    }

    /** Whether a class, or a class enclosing it, was experimental or internal in the release. */
    private static boolean excused(CtClass c, Map<String, CtClass> released) {
        if (excused((AnnotationsAttribute) c.getClassFile().getAttribute(AnnotationsAttribute.visibleTag))) {
            return true;
        }
        int dollar = c.getName().lastIndexOf('$');
        if (dollar < 0) {
            return false;
        }
        CtClass outer = released.get(c.getName().substring(0, dollar));
        return outer != null && excused(outer, released);
    }

    private static boolean excused(Object attribute) {
        if (!(attribute instanceof AnnotationsAttribute annotations)) {
            return false;
        }
        Annotation api = annotations.getAnnotation(API);
        return api != null && api.getMemberValue("status") instanceof EnumMemberValue status
                && EXCUSED.contains(status.getValue());
    }

    private static String signature(Optional<String> descriptor) {
        return descriptor.map(d -> d.substring(0, d.indexOf(')') + 1)).orElse("()");
    }

    /** The accepted breaks of {@code file}: the element and change of each non-comment line. */
    static Set<String> accepted(Path file) {
        if (!Files.exists(file)) {
            return Set.of();
        }
        try (Stream<String> lines = Files.lines(file)) {
            return Set.copyOf(lines.map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).map(l -> {
                String[] parts = l.split("\\|");
                if (parts.length < 3 || parts[2].isBlank()) {
                    throw new IllegalArgumentException(file + ": '" + l + "' must read 'element | CHANGE | reason'");
                }
                return parts[0].strip() + " | " + parts[1].strip();
            }).toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
