package dev.lethe.cli.admin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lethe.auth.Passwords;
import dev.lethe.auth.UserStore;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code lethe admin user create | set-password}. */
@Command(name = "user", mixinStandardHelpOptions = true, description = "Create operators of Lethe and set their console passwords.",
        subcommands = {UserCommands.Create.class, UserCommands.SetPassword.class})
final class UserCommands {

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Create a user identified by email; with --password-stdin or --password-env, also their console password.")
    static final class Create extends AdminAction {

        @Option(names = "--email", required = true, description = "The user's email address")
        String email;

        @ArgGroup(exclusive = true)
        PasswordSource password;

        static final class PasswordSource {
            @Option(names = "--password-stdin", description = "Read a console password from standard input")
            boolean stdin;

            @Option(names = "--password-env", paramLabel = "NAME", description = "Read a console password from this environment variable")
            String env;
        }

        @Override
        ObjectNode run(AdminContext admin) {
            String secret = null;
            if (password != null) {
                PasswordInput input = new PasswordInput();
                input.env = password.env;
                secret = input.read("Console password for " + email.trim() + ": ");
                // why: checked before the user exists, so a refused password leaves nothing half-made
                Passwords.requireAcceptable(secret);
            }
            UserStore.User user = admin.users().create(email);
            if (secret != null) {
                admin.consoleAuth().setPassword(user.id(), secret);
            }
            return json().put("user_id", user.id()).put("email", user.email()).put("console_password", secret != null);
        }
    }

    @Command(name = "set-password", mixinStandardHelpOptions = true,
            description = "Set a user's console password (Argon2id; at least " + Passwords.MIN_LENGTH + " characters), "
                    + "read from standard input or --password-env; ends the user's open console sessions.")
    static final class SetPassword extends AdminAction {

        @Option(names = "--email", required = true, description = "The user's email address")
        String email;

        @Mixin
        PasswordInput input;

        @Override
        ObjectNode run(AdminContext admin) {
            UserStore.User user = admin.user(email);
            admin.consoleAuth().setPassword(user.id(), input.read("Console password for " + user.email() + ": "));
            return json().put("user_id", user.id()).put("email", user.email()).put("console_password", true);
        }
    }
}
