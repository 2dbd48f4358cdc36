package dev.lethe.demo;

import dev.lethe.app.LetheApp;
import dev.lethe.auth.Role;
import dev.lethe.auth.TokenStore;
import dev.lethe.crypto.Secrets;
import dev.lethe.auth.UserStore;
import dev.lethe.event.EventRecord;
import dev.lethe.identity.LinkKind;
import dev.lethe.project.Project;
import dev.lethe.project.ProjectStore;
import dev.lethe.project.Region;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * {@code lethe serve --demo}: a demo project with an owner and sample data, created once and
 * found again by name on later starts. A GDPR token is issued on every start, because only
 * hashes of earlier ones are stored.
 */
public final class DemoSeeder {

    public static final String PROJECT_NAME = "Lethe demo";
    public static final String OWNER_EMAIL = "demo@lethe.local";
    public static final Duration TOKEN_VALIDITY = Duration.ofDays(30);

    /**
     * What a start with {@code --demo} produced. {@code apiSecret} is only known when the
     * project was created by this start, else null.
     */
    public record Setup(Project project, String apiSecret, String ownerEmail, TokenStore.Issued token, String consolePassword) {
        public boolean createdNow() {
            return apiSecret != null;
        }
    }

    private final LetheApp app;

    public DemoSeeder(LetheApp app) {
        this.app = app;
    }

    public Setup seed() {
        Region region = app.config().region();
        Optional<Project> existing = app.projects().list().stream()
                .filter(p -> p.name().equals(PROJECT_NAME) && p.region() == region)
                .findFirst();
        Project project;
        String apiSecret = null;
        if (existing.isPresent()) {
            project = existing.get();
        } else {
            ProjectStore.Created created = app.projects().create(PROJECT_NAME, region);
            project = created.project();
            apiSecret = created.apiSecret();
            // why: only on creation; re-seeding later would bring back people the user has
            // since deleted through the GDPR API, which is what the demo is there to show.
            seedData(project);
        }
        UserStore.User owner = app.users().byEmail(OWNER_EMAIL).orElseGet(() -> app.users().create(OWNER_EMAIL));
        app.users().grant(owner.id(), project.id(), Role.OWNER);
        TokenStore.Issued token = app.tokens().issue(owner.id(), TOKEN_VALIDITY);
        // why: a fresh one each start, like the token: a fixed demo password would be a known way in
        String consolePassword = "demo-" + Secrets.random(16);
        app.consoleAuth().setPassword(owner.id(), consolePassword);
        return new Setup(project, apiSecret, OWNER_EMAIL, token, consolePassword);
    }

    private void seedData(Project project) {
        long anchor = project.createdAt();
        List<EventRecord> events = DemoEvents.generate(anchor);
        app.events().insert(project.id(), events);
        for (DemoPerson person : DemoPerson.ALL) {
            if (person.deviceId() != null) {
                app.links().link(project.id(), person.deviceId(), person.userId(), LinkKind.DEVICE, anchor);
            }
            for (String alias : person.aliases()) {
                app.links().link(project.id(), alias, person.userId(), LinkKind.ALIAS, anchor);
            }
            app.profiles().update(project.id(), person.userId(), anchor, props -> {
                props.put("$name", person.name());
                props.put("$email", person.email());
                props.put("$city", person.city());
                props.put("$country_code", person.countryCode());
                props.put("plan", person.plan());
                props.put("$created", Instant.ofEpochMilli(anchor).minus(DemoEvents.SPAN).toString());
                return props;
            });
        }
    }
}
