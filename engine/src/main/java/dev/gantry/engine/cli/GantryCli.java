package dev.gantry.engine.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code gantry} command line: generate text, measure speed, write synthetic models. Each subcommand
 * prints its result as one JSON line on stdout with {@code --json}; logs always go to stderr.
 */
@Command(name = "gantry", mixinStandardHelpOptions = true, versionProvider = GantryVersion.class,
        description = "A pluggable LLM serving SDK for the JVM.",
        subcommands = {GenerateCommand.class, BenchCommand.class, SynthCommand.class, PluginsCommand.class})
public final class GantryCli {

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns its exit code (tests call this rather than {@link #main}). */
    public static int run(String... args) {
        return commandLine().execute(args);
    }

    /** The configured picocli command line; errors in the user's input print one clear line, not a stack. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new GantryCli());
        cl.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            commandLine.getErr().println("gantry " + commandLine.getCommandName() + ": " + e.getMessage());
            if (Boolean.getBoolean("gantry.debug")) {
                e.printStackTrace(commandLine.getErr());
            }
            return 1;
        });
        return cl;
    }
}
