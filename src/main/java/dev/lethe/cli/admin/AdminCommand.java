package dev.lethe.cli.admin;

import picocli.CommandLine.Command;

/** {@code lethe admin ...}: projects, users, roles, GDPR tokens and service accounts. */
@Command(name = "admin", mixinStandardHelpOptions = true,
        description = "Administer projects, users, roles, GDPR tokens, service accounts, identity links, suppressions, certificate signing keys and webhooks. Each command prints one JSON object.",
        subcommands = {ProjectCommands.class, UserCommands.class, GrantCommand.class, TokenCommands.class,
                ServiceAccountCommands.class, IdentityCommands.class, AuditCommand.class, SuppressionCommands.class,
                WebhookCommands.class, KeysCommands.class})
public final class AdminCommand {
}
