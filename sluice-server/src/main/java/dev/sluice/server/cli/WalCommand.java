package dev.sluice.server.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code sluice wal}: look into and replay a node's write-ahead log directory. */
@Command(name = "wal", mixinStandardHelpOptions = true,
        description = "Inspect or replay a write-ahead log directory.",
        subcommands = {WalInspectCommand.class, WalRecoverCommand.class})
final class WalCommand implements Runnable {

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
