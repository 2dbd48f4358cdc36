package dev.lethe.cli.admin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lethe.auth.Role;
import dev.lethe.auth.UserStore;
import dev.lethe.project.Project;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code lethe admin grant}: gives a user a role on a project, replacing an earlier one. */
@Command(name = "grant", mixinStandardHelpOptions = true,
        description = "Give a user a role on a project (replaces any earlier role there). "
                + "Only owner and admin may use the GDPR API.")
final class GrantCommand extends AdminAction {

    @Option(names = "--email", required = true, description = "The user's email address")
    String email;

    @Option(names = "--project", required = true, description = "Project id")
    long projectId;

    @Option(names = "--role", required = true, description = "owner, admin, analyst or consumer")
    String role;

    @Override
    ObjectNode run(AdminContext admin) {
        Role parsed = Role.parse(role);
        UserStore.User user = admin.user(email);
        Project project = admin.project(projectId);
        admin.users().grant(user.id(), project.id(), parsed);
        return json().put("email", user.email()).put("project_id", project.id()).put("role", parsed.wireName());
    }
}
