package dev.lethe;

import dev.lethe.cli.LoadCommand;
import dev.lethe.cli.ServeCommand;
import dev.lethe.cli.VerifyCertificateCommand;
import dev.lethe.cli.admin.AdminCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point: {@code lethe serve | admin | load | verify-certificate}; {@code lethe bench} runs from its own jar (see bench/BenchMain). */
@Command(name = "lethe", mixinStandardHelpOptions = true, version = "lethe 0.1.0",
        description = "A self-hosted event store with a GDPR/CCPA data-subject API.",
        subcommands = {ServeCommand.class, AdminCommand.class, LoadCommand.class, VerifyCertificateCommand.class})
public final class Lethe {

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    public static CommandLine commandLine() {
        return new CommandLine(new Lethe());
    }
}
