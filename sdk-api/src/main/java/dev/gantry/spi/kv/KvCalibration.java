package dev.gantry.spi.kv;

import dev.gantry.spi.Api;

/**
 * The metadata a codec learned by calibration, serialised by the codec itself; the engine stores it beside
 * the model and returns it through {@link KVCodecContext#calibration()}.
 *
 * @param codec  the codec's name, checked when the data is handed back
 * @param format a codec-defined version of the byte format
 * @param data   the serialised metadata
 * @since 0.1
 */
@Api(status = Api.Status.EXPERIMENTAL, since = "0.1")
public record KvCalibration(String codec, int format, byte[] data) {

    /** Copies the data. */
    public KvCalibration {
        data = data.clone();
    }

    /** {@return a copy of the serialised metadata} */
    @Override
    public byte[] data() {
        return data.clone();
    }
}
