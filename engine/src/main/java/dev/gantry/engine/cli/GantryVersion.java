package dev.gantry.engine.cli;

import picocli.CommandLine;

/** Reports the version from the jar manifest, or "development" when running from classes. */
public final class GantryVersion implements CommandLine.IVersionProvider {

    @Override
    public String[] getVersion() {
        String v = GantryVersion.class.getPackage().getImplementationVersion();
        return new String[] {"gantry " + (v == null ? "development" : v)};
    }
}
