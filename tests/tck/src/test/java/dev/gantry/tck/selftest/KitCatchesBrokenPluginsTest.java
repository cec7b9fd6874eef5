package dev.gantry.tck.selftest;

import dev.gantry.tck.GantryTck;
import dev.gantry.tck.attention.AttentionBackendContractTest;
import dev.gantry.tck.attention.AttentionKit;
import dev.gantry.tck.kv.KVCodecBehavior;
import dev.gantry.tck.kv.KVCodecContractTest;
import dev.gantry.tck.kv.KVCodecKit;
import dev.gantry.tck.planner.ParallelPlannerContractTest;
import dev.gantry.tck.planner.PlannerKit;
import dev.gantry.tck.scheduler.SchedulerContractTest;
import dev.gantry.tck.scheduler.SchedulerKit;
import dev.gantry.tck.speculator.SpeculatorBehavior;
import dev.gantry.tck.speculator.SpeculatorContractTest;
import dev.gantry.tck.speculator.SpeculatorKit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;

import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The kit catches what it claims to: each deliberately broken plugin of {@link BrokenPlugins} is run through
 * its contract test class by JUnit's own {@link EngineTestKit}, and the clause it breaks must be reported as a
 * failure. (The broken contract classes are tagged so that the build's own test run skips them.)
 */
class KitCatchesBrokenPluginsTest {

    /** The names of the contract tests that failed when {@code contract} ran. */
    static Set<String> failedTests(Class<?> contract) {
        return EngineTestKit.engine("junit-jupiter").selectors(DiscoverySelectors.selectClass(contract)).execute()
                .testEvents().failed().stream().map(Event::getTestDescriptor)
                .map(d -> d.getDisplayName().replace("()", "")).collect(Collectors.toCollection(TreeSet::new));
    }

    static void assertCaught(Class<?> contract, String... clauses) {
        Set<String> failed = failedTests(contract);
        for (String clause : clauses) {
            assertTrue(failed.contains(clause), contract.getSimpleName() + " should fail " + clause + "; failed: "
                    + failed);
        }
    }

    @Test
    void aSchedulerThatIgnoresTheKvBudgetFailsTheBudgetClause() {
        assertCaught(OverAdmittingSchedulerContract.class, "staysWithinTheKvBudget");
    }

    @Test
    void aSchedulerThatStarvesRequestsAndHoardsIdsFails() {
        assertCaught(HoardingSchedulerContract.class, "noRequestStarvesUnderAFixedWorkload", "forgetsSequencesThatLeft",
                "everyAdmittedRequestFinishes");
    }

    @Test
    void aSpeculatorLyingAboutItsDraftDistributionFailsTheDistributionClause() {
        assertCaught(LyingSpeculatorContract.class, "sampledOutputKeepsTheTargetDistribution");
    }

    @Test
    void aSpeculatorThatKeepsStateFailsTheReleaseClause() {
        assertCaught(LeakySpeculatorContract.class, "releasesStateOnFinishCancelAndPreemption");
    }

    @Test
    void anInexactBackendClaimingExactnessFails() {
        assertCaught(ForgetfulAttentionContract.class, "matchesDenseAttentionInPrefillAndDecode",
                "handlesDraftTreesOnlyWhenDeclared");
    }

    @Test
    void aCodecDeclaringMoreBytesThanItStoresFails() {
        assertCaught(OverclaimingCodecContract.class, "storesExactlyTheDeclaredBytesPerToken");
    }

    @Test
    void aCodecWhoseRangeReadsMisplaceSlotsFails() {
        assertCaught(SkippingCodecContract.class, "rangeReadsAgreeWithSlotReads");
    }

    @Test
    void aPlannerWithFiguresOfItsOwnAndNoMemoryCheckFails() {
        assertCaught(BoastfulPlannerContract.class, "plansWithinDeviceMemoryAndScoresWithTheSharedCostModel",
                "refusesAnInfeasibleProblemNamingTheModel");
    }

    @Tag("deliberately-broken")
    static class OverAdmittingSchedulerContract extends SchedulerContractTest {
        @Override
        protected SchedulerKit scheduler() {
            return GantryTck.scheduler(BrokenPlugins.plugin(), "over-admitting");
        }
    }

    @Tag("deliberately-broken")
    static class HoardingSchedulerContract extends SchedulerContractTest {
        @Override
        protected SchedulerKit scheduler() {
            return GantryTck.scheduler(BrokenPlugins.plugin(), "hoarding");
        }
    }

    @Tag("deliberately-broken")
    static class LyingSpeculatorContract extends SpeculatorContractTest {
        @Override
        protected SpeculatorKit speculator() {
            return GantryTck.speculator(BrokenPlugins.plugin(), "lying").behaves(SpeculatorBehavior.DRAFTS,
                    SpeculatorBehavior.DRAFT_PROBABILITIES, SpeculatorBehavior.LOSSLESS_SAMPLING);
        }
    }

    @Tag("deliberately-broken")
    static class LeakySpeculatorContract extends SpeculatorContractTest {
        @Override
        protected SpeculatorKit speculator() {
            return GantryTck.speculator(BrokenPlugins.plugin(), "leaky");
        }
    }

    @Tag("deliberately-broken")
    static class ForgetfulAttentionContract extends AttentionBackendContractTest {
        @Override
        protected AttentionKit attentionBackend() {
            return GantryTck.attentionBackend(BrokenPlugins.plugin(), "forgetful");
        }
    }

    @Tag("deliberately-broken")
    static class OverclaimingCodecContract extends KVCodecContractTest {
        @Override
        protected KVCodecKit kvCodec() {
            return GantryTck.kvCodec(BrokenPlugins.plugin(), "overclaiming").behaves(KVCodecBehavior.LOSSLESS);
        }
    }

    @Tag("deliberately-broken")
    static class SkippingCodecContract extends KVCodecContractTest {
        @Override
        protected KVCodecKit kvCodec() {
            return GantryTck.kvCodec(BrokenPlugins.plugin(), "skipping").behaves(KVCodecBehavior.LOSSLESS);
        }
    }

    @Tag("deliberately-broken")
    static class BoastfulPlannerContract extends ParallelPlannerContractTest {
        @Override
        protected PlannerKit parallelPlanner() {
            return GantryTck.parallelPlanner(BrokenPlugins.plugin(), "boastful");
        }
    }
}
