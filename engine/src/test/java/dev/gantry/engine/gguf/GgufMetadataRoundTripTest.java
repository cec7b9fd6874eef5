package dev.gantry.engine.gguf;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every metadata value type, written by {@link GgufWriter} and read back by {@link GgufFile}, unchanged. */
class GgufMetadataRoundTripTest {

    @TempDir
    Path dir;

    @Test
    void everyScalarTypeAtItsLimitsRoundTrips() {
        GgufWriter w = new GgufWriter()
                .put("u8.min", GgufValueType.UINT8, 0L).put("u8.max", GgufValueType.UINT8, 255)
                .put("i8.min", GgufValueType.INT8, -128L).put("i8.max", GgufValueType.INT8, (byte) 127)
                .put("u16.max", GgufValueType.UINT16, 65535).put("i16.min", GgufValueType.INT16, (short) -32768)
                .put("u32.max", GgufValueType.UINT32, 0xFFFF_FFFFL).put("i32.min", GgufValueType.INT32, Integer.MIN_VALUE)
                .put("u64.max", GgufValueType.UINT64, Long.MAX_VALUE).put("i64.min", GgufValueType.INT64, Long.MIN_VALUE)
                .put("f32", GgufValueType.FLOAT32, -1.5e-7f).put("f32.nan", GgufValueType.FLOAT32, Float.NaN)
                .put("f64", GgufValueType.FLOAT64, Math.PI).put("bool.true", GgufValueType.BOOL, true)
                .put("bool.false", GgufValueType.BOOL, false).put("string", GgufValueType.STRING, "plain")
                .put("string.empty", GgufValueType.STRING, "")
                .putString("string.unicode", "▁héllo wörld — 日本語 🦙")
                .putUInt32("helper.u32", 4_000_000_000L).putInt32("helper.i32", -7)
                .putUInt64("helper.u64", 1L << 40).putFloat32("helper.f32", 0.25f)
                .putFloat64("helper.f64", 1e300).putBool("helper.bool", true);
        GgufMetadata m = roundTrip(w);

        assertEquals(0L, m.getLong("u8.min"));
        assertEquals(255L, m.getLong("u8.max"));
        assertEquals(-128L, m.getLong("i8.min"));
        assertEquals(127L, m.getLong("i8.max"));
        assertEquals(65535L, m.getLong("u16.max"));
        assertEquals(-32768L, m.getLong("i16.min"));
        assertEquals(0xFFFF_FFFFL, m.getLong("u32.max"));
        assertEquals(Integer.MIN_VALUE, m.getInt("i32.min"));
        assertEquals(Long.MAX_VALUE, m.getLong("u64.max"));
        assertEquals(Long.MIN_VALUE, m.getLong("i64.min"));
        assertEquals(-1.5e-7f, m.get("f32").orElseThrow());
        assertTrue(Float.isNaN((Float) m.get("f32.nan").orElseThrow()));
        assertEquals(Math.PI, m.get("f64").orElseThrow());
        assertTrue(m.getBoolean("bool.true"));
        assertEquals(false, m.getBoolean("bool.false"));
        assertEquals("plain", m.getString("string"));
        assertEquals("", m.getString("string.empty"));
        assertEquals("▁héllo wörld — 日本語 🦙", m.getString("string.unicode"));
        assertEquals(4_000_000_000L, m.getLong("helper.u32"));
        assertEquals(-7, m.getInt("helper.i32"));
        assertEquals(1L << 40, m.getLong("helper.u64"));
        assertEquals(0.25, m.getDouble("helper.f32"));
        assertEquals(1e300, m.getDouble("helper.f64"));
        assertTrue(m.getBoolean("helper.bool"));

        assertEquals(GgufValueType.UINT8, m.entries().get("u8.max").type());
        assertEquals(GgufValueType.INT16, m.entries().get("i16.min").type());
        assertEquals(GgufValueType.UINT32, m.entries().get("helper.u32").type());
        assertEquals(GgufValueType.FLOAT32, m.entries().get("helper.f32").type());
        assertEquals(List.of("u8.min", "u8.max", "i8.min"), m.entries().keySet().stream().limit(3).toList(),
                "entries keep the order they were put in");
    }

    @Test
    void arraysOfEveryTypeRoundTrip() {
        GgufWriter w = new GgufWriter();
        Map<GgufValueType, List<Object>> samples = Map.ofEntries(
                Map.entry(GgufValueType.UINT8, List.of(0L, 200L, 255L)),
                Map.entry(GgufValueType.INT8, List.of(-128L, 0L, 127L)),
                Map.entry(GgufValueType.UINT16, List.of(0L, 65535L)),
                Map.entry(GgufValueType.INT16, List.of(-32768L, 32767L)),
                Map.entry(GgufValueType.UINT32, List.of(0L, 0xFFFF_FFFFL)),
                Map.entry(GgufValueType.INT32, List.of((long) Integer.MIN_VALUE, -1L, 5L)),
                Map.entry(GgufValueType.UINT64, List.of(0L, Long.MAX_VALUE)),
                Map.entry(GgufValueType.INT64, List.of(Long.MIN_VALUE, 3L)),
                Map.entry(GgufValueType.FLOAT32, List.of(1.0f, -0.0f, Float.MAX_VALUE)),
                Map.entry(GgufValueType.FLOAT64, List.of(Double.MIN_VALUE, -2.5)),
                Map.entry(GgufValueType.BOOL, List.of(true, false, true)),
                Map.entry(GgufValueType.STRING, List.of("a", "", "日本", "<0x0A>")));
        samples.forEach((type, values) -> w.put("array." + type, GgufValueType.ARRAY, new GgufArray(type, values)));
        w.put("array.empty", GgufValueType.ARRAY, new GgufArray(GgufValueType.UINT32, List.of()));
        GgufMetadata m = roundTrip(w);

        samples.forEach((type, values) -> {
            GgufMetadata.Entry e = m.entries().get("array." + type);
            assertEquals(GgufValueType.ARRAY, e.type());
            assertEquals(new GgufArray(type, values), e.value(), "array of " + type);
        });
        assertEquals(0, m.getArray("array.empty").size());
        assertEquals(GgufValueType.UINT32, m.getArray("array.empty").elementType());
    }

    @Test
    void nestedArraysRoundTrip() {
        GgufArray inner1 = new GgufArray(GgufValueType.INT32, List.of(1L, 2L));
        GgufArray inner2 = new GgufArray(GgufValueType.INT32, List.of());
        GgufArray strings = new GgufArray(GgufValueType.STRING, List.of("x", "ÿ"));
        GgufArray middle = new GgufArray(GgufValueType.ARRAY, List.of(inner1, inner2));
        GgufArray outer = new GgufArray(GgufValueType.ARRAY, List.of(middle, new GgufArray(GgufValueType.ARRAY,
                List.of(strings))));
        GgufMetadata m = roundTrip(new GgufWriter().put("nested", GgufValueType.ARRAY, outer));
        assertEquals(outer, m.getArray("nested"));
    }

    @Test
    void typedArrayHelpersRoundTrip() {
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            tokens.add("▁tok" + i);
        }
        GgufMetadata m = roundTrip(new GgufWriter()
                .putStringArray("s", tokens)
                .putFloat32Array("f", new float[]{0f, -1f, 3.5f})
                .putInt32Array("i", new int[]{1, -2, Integer.MAX_VALUE}));
        assertEquals(tokens, m.getStringList("s"));
        assertArrayEquals(new float[]{0f, -1f, 3.5f}, m.getFloatArray("f"));
        assertArrayEquals(new int[]{1, -2, Integer.MAX_VALUE}, m.getIntArray("i"));
        assertEquals(GgufValueType.INT32, m.getArray("i").elementType());
    }

    @Test
    void aKeyPutTwiceKeepsItsPlaceAndTakesTheNewValue() {
        GgufMetadata m = roundTrip(new GgufWriter().putUInt32("a", 1).putUInt32("b", 2).putString("a", "again"));
        assertEquals(List.of("a", "b"), List.copyOf(m.entries().keySet()));
        assertEquals("again", m.getString("a"));
    }

    @Test
    void valuesATypeCannotHoldAreRefused() {
        GgufWriter w = new GgufWriter();
        assertMessage(assertThrows(IllegalArgumentException.class, () -> w.put("k", GgufValueType.UINT8, 256)),
                "out of range");
        assertMessage(assertThrows(IllegalArgumentException.class, () -> w.put("k", GgufValueType.UINT32, -1)),
                "out of range");
        assertMessage(assertThrows(IllegalArgumentException.class, () -> w.putUInt64("k", -1)), "out of range");
        assertMessage(assertThrows(IllegalArgumentException.class, () -> w.put("k", GgufValueType.INT32, 1.5)),
                "must be an integer");
        assertMessage(assertThrows(IllegalArgumentException.class, () -> w.put("k", GgufValueType.STRING, 3)),
                "must be a String");
        assertMessage(assertThrows(IllegalArgumentException.class, () -> w.put("k", GgufValueType.ARRAY,
                new GgufArray(GgufValueType.INT8, List.of(1L, 300L)))), "out of range");
        assertMessage(assertThrows(IllegalArgumentException.class, () -> w.putString("k", "\uD800")),
                "not valid Unicode");
    }

    private static void assertMessage(Exception e, String part) {
        assertTrue(e.getMessage().contains(part), () -> "message \"" + e.getMessage() + "\" lacks \"" + part + "\"");
    }

    private GgufMetadata roundTrip(GgufWriter w) {
        Path file = dir.resolve("meta.gguf");
        w.write(file);
        try (GgufFile f = GgufFile.open(file)) {
            assertEquals(3, f.version());
            assertEquals(0, f.tensorInfos().size());
            return f.metadata();
        }
    }
}
