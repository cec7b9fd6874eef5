package dev.gantry.spi;

/**
 * A plugin setting is missing, malformed or out of range. The message names the full configuration key
 * (for example {@code gantry.plugin.fastserve.queues}), the value found and what was expected.
 *
 * @since 0.1
 */
@Api(status = Api.Status.STABLE, since = "0.1")
public class PluginConfigException extends IllegalArgumentException {

    /** The full configuration key at fault. */
    private final String key;

    /**
     * Creates the exception.
     *
     * @param key     the full configuration key
     * @param message what is wrong, already naming the key
     */
    public PluginConfigException(String key, String message) {
        super(message);
        this.key = key;
    }

    /** {@return the full configuration key at fault} */
    public String key() {
        return key;
    }
}
