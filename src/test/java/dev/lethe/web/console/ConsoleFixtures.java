package dev.lethe.web.console;

import dev.lethe.auth.Role;
import dev.lethe.auth.UserStore;
import dev.lethe.identity.LinkKind;
import dev.lethe.testing.EventBuilder;
import dev.lethe.testing.TestServer;

import java.util.List;

/** The console's test users, and the people its request pages are tried on. */
final class ConsoleFixtures {

    static final String PASSWORD = "correct horse battery staple";

    private ConsoleFixtures() {
    }

    /** A user with this role on the project, signing in to the console with {@link #PASSWORD}. */
    static UserStore.User operator(TestServer server, long projectId, String email, Role role) {
        UserStore.User user = server.app.users().create(email);
        server.app.users().grant(user.id(), projectId, role);
        server.app.consoleAuth().setPassword(user.id(), PASSWORD);
        return user;
    }

    /** Ada: a user id, a device and an alias, 3 events and a profile. Bo: one event, untouched by Ada's requests. */
    static void adaAndBo(TestServer server, long projectId) {
        server.app.events().insert(projectId, List.of(EventBuilder.event("ada").named("Signed Up").build(),
                EventBuilder.event("device-ada").named("Viewed").build(),
                EventBuilder.event("ada").named("Paid").build(),
                EventBuilder.event("bo").named("Viewed").build()));
        server.app.links().link(projectId, "device-ada", "ada", LinkKind.DEVICE, EventBuilder.NOW_MS);
        server.app.links().link(projectId, "ada@example.com", "ada", LinkKind.ALIAS, EventBuilder.NOW_MS);
        server.app.profiles().update(projectId, "ada", EventBuilder.NOW_MS,
                props -> props.put("$email", "ada@example.com").put("plan", "pro"));
    }
}
