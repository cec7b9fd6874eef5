package dev.gantry.engine.plugin;

import dev.gantry.spi.GantryPlugin;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A version of the SPI ({@code gantry-sdk-api}): the version this Gantry provides, or the one a plugin jar was
 * built against (its {@value #MANIFEST_ATTRIBUTE} manifest attribute).
 *
 * <p>Compatibility follows semantic versioning, with the 0.x rule: a plugin built against SPI {@code a.b.c}
 * runs on SPI {@code x.y.z} when both have the same compatibility line — the major version, or for 0.x the
 * minor version too ({@code 0.1}) — and the plugin's version is not newer than the host's (a newer plugin may
 * call SPI methods this Gantry lacks).
 *
 * @param major     the major version
 * @param minor     the minor version
 * @param patch     the patch version (0 when absent)
 * @param qualifier what follows {@code -}, such as {@code SNAPSHOT}; empty when none
 */
public record SpiVersion(int major, int minor, int patch, String qualifier) {

    /** The manifest attribute a plugin jar records the SPI version it was compiled against in. */
    public static final String MANIFEST_ATTRIBUTE = "Gantry-SPI-Version";

    /** Where {@code gantry-sdk-api} records its own version (a resource the build writes). */
    static final String RESOURCE = "/dev/gantry/spi/spi-version.properties";

    private static final Pattern FORMAT = Pattern.compile("(\\d+)\\.(\\d+)(?:\\.(\\d+))?(?:-([0-9A-Za-z.-]+))?");

    /**
     * Reads a version such as {@code 0.1}, {@code 0.1.0} or {@code 0.1.0-SNAPSHOT}.
     *
     * @throws IllegalArgumentException for anything else, quoting it
     */
    public static SpiVersion parse(String text) {
        Matcher m = FORMAT.matcher(text == null ? "" : text.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not an SPI version such as 0.1.0");
        }
        return new SpiVersion(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                m.group(3) == null ? 0 : Integer.parseInt(m.group(3)), m.group(4) == null ? "" : m.group(4));
    }

    /** The SPI version of the {@code gantry-sdk-api} this engine runs with, when its jar says. */
    public static Optional<SpiVersion> current() {
        try (InputStream in = GantryPlugin.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                return Optional.empty();
            }
            Properties p = new Properties();
            p.load(in);
            String v = p.getProperty("version");
            return v == null || v.startsWith("${") ? Optional.empty() : Optional.of(parse(v));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE + " from gantry-sdk-api", e);
        }
    }

    /** The versions that promise compatibility with each other: {@code 1}, or {@code 0.3} before 1.0. */
    public String compatibilityLine() {
        return major == 0 ? "0." + minor : Integer.toString(major);
    }

    /** Whether a plugin built against {@code pluginBuiltAgainst} may run on this SPI version. */
    public boolean runs(SpiVersion pluginBuiltAgainst) {
        return compatibilityLine().equals(pluginBuiltAgainst.compatibilityLine())
                && compareNumbers(pluginBuiltAgainst) >= 0;
    }

    private int compareNumbers(SpiVersion other) {
        int c = Integer.compare(major, other.major);
        if (c == 0) {
            c = Integer.compare(minor, other.minor);
        }
        return c != 0 ? c : Integer.compare(patch, other.patch);
    }

    @Override
    public String toString() {
        return major + "." + minor + "." + patch + (qualifier.isEmpty() ? "" : "-" + qualifier);
    }
}
