package dev.lethe.cli.admin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lethe.auth.Role;
import dev.lethe.auth.ServiceAccountStore;
import dev.lethe.project.Project;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code lethe admin service-account create | revoke}: machine credentials for HTTP Basic. */
@Command(name = "service-account", mixinStandardHelpOptions = true,
        description = "Create and revoke service accounts (HTTP Basic username + secret).",
        subcommands = {ServiceAccountCommands.Create.class, ServiceAccountCommands.Revoke.class})
final class ServiceAccountCommands {

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Create a service account with a role on a project; the secret is shown only this once.")
    static final class Create extends AdminAction {

        @Option(names = "--name", required = true, description = "A name to recognise the account by")
        String name;

        @Option(names = "--project", required = true, description = "Project id")
        long projectId;

        @Option(names = "--role", required = true, description = "owner, admin, analyst or consumer")
        String role;

        @Override
        ObjectNode run(AdminContext admin) {
            if (name.isBlank()) {
                throw new AdminException("the service account name must not be blank");
            }
            Role parsed = Role.parse(role);
            Project project = admin.project(projectId);
            ServiceAccountStore.Created created = admin.serviceAccounts().create(name.trim(), project.id(), parsed);
            return json()
                    .put("username", created.username())
                    .put("secret", created.secret())
                    .put("project_id", project.id())
                    .put("role", parsed.wireName());
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true, description = "Revoke a service account.")
    static final class Revoke extends AdminAction {

        @Option(names = "--username", required = true, description = "The account's username (sa-...)")
        String username;

        @Override
        ObjectNode run(AdminContext admin) {
            return json().put("revoked", admin.serviceAccounts().revoke(username.trim()) ? 1 : 0);
        }
    }
}
