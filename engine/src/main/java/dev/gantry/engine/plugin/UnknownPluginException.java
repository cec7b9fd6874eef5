package dev.gantry.engine.plugin;

/** A configuration names an implementation no installed plugin provides. The message lists the installed ones. */
public class UnknownPluginException extends IllegalArgumentException {

    public UnknownPluginException(String message) {
        super(message);
    }
}
