package dev.gantry.engine.compute;

import dev.gantry.engine.tensor.GgmlType;
import dev.gantry.engine.tensor.VectorWidth;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The compute kernels agree with their scalar twins at this JVM's vector width (tolerances in
 * {@link KernelParityChecks}); {@link VectorWidthParityTest} repeats the checks at every width. The assertions
 * live in {@link KernelParityChecks}, which the child JVMs of that test run too.
 */
class VectorKernelParityTest {

    @Test
    void panelProductsAgree() {
        assumeTrue(VectorWidth.enabled(), "the Vector API is off in this JVM");
        KernelParityChecks.panelProductsAgree();
    }

    @Test
    void elementwiseKernelsAgree() {
        assumeTrue(VectorWidth.enabled(), "the Vector API is off in this JVM");
        KernelParityChecks.elementwiseAgree();
    }

    @ParameterizedTest
    @EnumSource(value = GgmlType.class, names = {"F32", "F16", "BF16", "Q8_0", "Q4_0", "Q4_K"})
    void deviceMatmulMatchesScalarRowDots(GgmlType type) {
        KernelParityChecks.deviceMatmulMatchesRowDots(type);
    }

    @Test
    void productsOfTheSameActivationsEqualFreshOnes() {
        KernelParityChecks.sameActivationsProductsEqualFreshOnes();
    }
}
