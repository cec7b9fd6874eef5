package dev.gantry.gpu;

import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs test classes of this module without Maven (on a GPU machine with only a packed Java runtime, see
 * {@code gpu/run-on-gpu.sh}) and prints one line per test: {@code PASSED}, {@code SKIPPED (reason)} or
 * {@code FAILED (message)}, then the totals. Exits 1 when a test failed.
 *
 * <pre>java -cp ... dev.gantry.gpu.GpuTestMain dev.gantry.gpu.CudaOnGpuTest ...</pre>
 */
public final class GpuTestMain {

    private GpuTestMain() {
    }

    public static void main(String[] classes) {
        LauncherDiscoveryRequestBuilder request = LauncherDiscoveryRequestBuilder.request();
        for (String c : classes) {
            request.selectors(DiscoverySelectors.selectClass(c));
        }
        AtomicInteger passed = new AtomicInteger();
        AtomicInteger skipped = new AtomicInteger();
        List<String> failed = new ArrayList<>();
        Launcher launcher = LauncherFactory.create();
        LauncherDiscoveryRequest discovery = request.build();
        launcher.execute(discovery, new TestExecutionListener() {
            @Override
            public void executionSkipped(TestIdentifier test, String reason) {
                skipped.incrementAndGet();
                System.out.println("SKIPPED " + name(test) + " (" + reason + ")");
            }

            @Override
            public void executionFinished(TestIdentifier test, TestExecutionResult result) {
                if (!test.isTest() && result.getStatus() == TestExecutionResult.Status.SUCCESSFUL) {
                    return;
                }
                switch (result.getStatus()) {
                    case SUCCESSFUL -> {
                        passed.incrementAndGet();
                        System.out.println("PASSED  " + name(test));
                    }
                    case ABORTED -> {
                        skipped.incrementAndGet();
                        System.out.println("SKIPPED " + name(test) + " ("
                                + result.getThrowable().map(Throwable::getMessage).orElse("aborted") + ")");
                    }
                    case FAILED -> {
                        failed.add(name(test));
                        System.out.println("FAILED  " + name(test) + " ("
                                + result.getThrowable().map(Throwable::toString).orElse("failed") + ")");
                        result.getThrowable().ifPresent(t -> t.printStackTrace(System.out));
                    }
                }
            }
        });
        System.out.println("tests: " + passed + " passed, " + skipped + " skipped, " + failed.size() + " failed");
        System.exit(failed.isEmpty() ? 0 : 1);
    }

    private static final Pattern CLASS = Pattern.compile("\\[class:(?:[\\w.]+\\.)?(\\w+)]");
    private static final Pattern TEMPLATE = Pattern.compile("\\[test-template:(\\w+)");

    /** "CudaOnGpuTest productsMatchTheCpu [1] F32". */
    private static String name(TestIdentifier test) {
        Matcher c = CLASS.matcher(test.getUniqueId());
        Matcher t = TEMPLATE.matcher(test.getUniqueId());
        return (c.find() ? c.group(1) + " " : "") + (t.find() ? t.group(1) + " " : "") + test.getDisplayName();
    }
}
