package dev.gantry.engine.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

class TensorFormatsTest {

    @Test
    void everyTypeHasOneSharedFormatOfThatType() {
        for (GgmlType type : GgmlType.values()) {
            TensorFormat format = TensorFormats.of(type);
            assertEquals(type, format.type());
            assertSame(format, TensorFormats.of(type));
        }
    }
}
