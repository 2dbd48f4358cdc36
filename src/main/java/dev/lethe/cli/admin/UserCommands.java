package dev.lethe.cli.admin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lethe.auth.UserStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code lethe admin user create}. */
@Command(name = "user", mixinStandardHelpOptions = true, description = "Create operators of Lethe.",
        subcommands = {UserCommands.Create.class})
final class UserCommands {

    @Command(name = "create", mixinStandardHelpOptions = true, description = "Create a user identified by email.")
    static final class Create extends AdminAction {

        @Option(names = "--email", required = true, description = "The user's email address")
        String email;

        @Override
        ObjectNode run(AdminContext admin) {
            UserStore.User user = admin.users().create(email);
            return json().put("user_id", user.id()).put("email", user.email());
        }
    }
}
