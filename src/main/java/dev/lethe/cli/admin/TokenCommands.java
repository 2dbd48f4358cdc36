package dev.lethe.cli.admin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lethe.auth.TokenStore;
import dev.lethe.auth.UserStore;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.time.Duration;

/** {@code lethe admin token issue | revoke}: personal GDPR bearer tokens. */
@Command(name = "token", mixinStandardHelpOptions = true, description = "Issue and revoke GDPR API bearer tokens.",
        subcommands = {TokenCommands.Issue.class, TokenCommands.Revoke.class})
final class TokenCommands {

    /** Long enough for any real use, short enough that Duration and epoch millis cannot overflow. */
    static final int MAX_DAYS = 36_500;

    @Command(name = "issue", mixinStandardHelpOptions = true,
            description = "Issue a GDPR token for a user. It is printed only this once; Lethe keeps only its hash.")
    static final class Issue extends AdminAction {

        @Option(names = "--email", required = true, description = "The user's email address")
        String email;

        @Option(names = "--days", defaultValue = "365", description = "Days the token stays valid (default: ${DEFAULT-VALUE})")
        int days;

        @Override
        ObjectNode run(AdminContext admin) {
            if (days < 1 || days > MAX_DAYS) {
                throw new AdminException("--days must be between 1 and " + MAX_DAYS + ", not " + days);
            }
            UserStore.User user = admin.user(email);
            TokenStore.Issued issued = admin.tokens().issue(user.id(), Duration.ofDays(days));
            return json().put("token", issued.token()).put("expires_at", issued.expiresAt().toString());
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true,
            description = "Revoke one token, or every token of a user; prints how many were live.")
    static final class Revoke extends AdminAction {

        @ArgGroup(exclusive = true, multiplicity = "1")
        Target target;

        static final class Target {
            @Option(names = "--token", description = "The token to revoke")
            String token;

            @Option(names = "--email", description = "Revoke all tokens of this user")
            String email;
        }

        @Override
        ObjectNode run(AdminContext admin) {
            int revoked;
            if (target.token != null) {
                revoked = admin.tokens().revoke(target.token.trim()) ? 1 : 0;
            } else {
                revoked = admin.tokens().revokeAll(admin.user(target.email).id());
            }
            return json().put("revoked", revoked);
        }
    }
}
