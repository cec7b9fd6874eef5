package dev.gantry.engine.tensor;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Each vector tensor format agrees with its scalar twin at this JVM's vector width (see
 * {@link FormatParityChecks} for the tolerances; {@code dev.gantry.engine.compute.VectorWidthParityTest} repeats
 * the checks at every width). The assertions live in {@link FormatParityChecks}, which that test's child JVMs run
 * too; each method here names one check.
 */
class VectorFormatParityTest {

    @ParameterizedTest
    @EnumSource(value = GgmlType.class, names = {"F32", "F16", "BF16", "Q8_0", "Q4_0"})
    void decodingIsBitIdentical(GgmlType type) {
        FormatParityChecks.dequantizeIsBitIdentical(type);
    }

    @ParameterizedTest
    @EnumSource(value = GgmlType.class, names = {"F32", "F16", "BF16", "Q8_0", "Q4_0"})
    void rowDecodingEqualsDecodingEachRow(GgmlType type) {
        FormatParityChecks.rowDecodingEqualsDecodingEachRow(type);
    }

    @ParameterizedTest
    @EnumSource(value = GgmlType.class, names = {"F32", "F16", "BF16", "Q8_0", "Q4_0"})
    void dotProductsAgree(GgmlType type) {
        FormatParityChecks.dotAgrees(type);
    }

    @ParameterizedTest
    @EnumSource(value = GgmlType.class, names = {"F32", "F16", "BF16", "Q8_0", "Q4_0"})
    void fourRowDotsEqualSingleDots(GgmlType type) {
        FormatParityChecks.fourRowDotsEqualSingleDots(type);
    }

    @Test
    void halfSpecialValuesInDotProducts() {
        FormatParityChecks.halfSpecialValuesInDotProducts();
    }

    @Test
    void halfSpecialValuesDecodeExactly() {
        FormatParityChecks.halfSpecialValuesDecodeExactly();
    }

    @ParameterizedTest
    @EnumSource(value = GgmlType.class, names = {"Q8_0", "Q4_0"})
    void specialBlockScalesDecodeExactly(GgmlType type) {
        FormatParityChecks.specialBlockScalesDecodeExactly(type);
    }

    @ParameterizedTest
    @EnumSource(value = GgmlType.class, names = {"Q8_0", "Q4_0"})
    void everyBlockScaleInFourRowDots(GgmlType type) {
        FormatParityChecks.everyBlockScaleInFourRowDots(type);
    }
}
