package dev.lethe.cli.admin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lethe.event.EventStore;
import dev.lethe.identity.IdentityStore;
import dev.lethe.identity.PersonResolver;
import dev.lethe.ingest.IdentityLinker;
import dev.lethe.ingest.IdentityRebuild;
import dev.lethe.profile.ProfileStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.List;
import java.util.Map;

/** {@code lethe admin identity rebuild | show | detach}: a project's identity links (docs/identity.md). */
@Command(name = "identity", mixinStandardHelpOptions = true, description = "Repair, inspect and cut a project's identity links.",
        subcommands = {IdentityCommands.Rebuild.class, IdentityCommands.Show.class, IdentityCommands.Detach.class})
final class IdentityCommands {

    private IdentityCommands() {
    }

    @Command(name = "rebuild", mixinStandardHelpOptions = true,
            description = "Derive the project's device and identify links again from its stored events under today's rules "
                    + "(one-off repair after an upgrade); prints how many links it added.")
    static final class Rebuild extends AdminAction {

        @Option(names = "--project", required = true, description = "The project id")
        long project;

        @Override
        ObjectNode run(AdminContext admin) {
            admin.project(project);
            IdentityStore links = new IdentityStore(admin.db());
            EventStore events = new EventStore(admin.db());
            IdentityLinker linker = new IdentityLinker(links, new PersonResolver(admin.db(), links), events,
                    new ProfileStore(admin.db()));
            IdentityRebuild.Report report = new IdentityRebuild(admin.db(), events, links, linker, admin.clock()).rebuild(project);
            ObjectNode out = json().put("project_id", project).put("events_read", report.eventsRead())
                    .put("links_claimed", report.claims()).put("links_added", report.linksAdded())
                    .put("links_rederived", report.linksRederived()).put("links_kept", report.linksKept())
                    .put("legacy_links_dropped", report.legacyDropped());
            ObjectNode refused = out.putObject("refused");
            report.refused().forEach((why, n) -> refused.put(why.name().toLowerCase(), n));
            return out;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true,
            description = "Print the ids a GDPR request for these ids would cover, each with the link that brought it in.")
    static final class Show extends AdminAction {

        @Option(names = "--project", required = true, description = "The project id")
        long project;

        @Parameters(arity = "1..*", paramLabel = "ID", description = "The distinct ids of the request")
        List<String> ids;

        @Override
        ObjectNode run(AdminContext admin) {
            admin.project(project);
            IdentityStore links = new IdentityStore(admin.db());
            Map<String, PersonResolver.Reach> person = new PersonResolver(admin.db(), links).explain(project, ids);
            ObjectNode out = json();
            ObjectNode covered = out.putObject("ids");
            person.forEach((id, reach) -> covered.put(id, reach.describe()));
            return out;
        }
    }

    @Command(name = "detach", mixinStandardHelpOptions = true,
            description = "Remove every identity link of these ids, so that a deletion of them erases exactly them "
                    + "whatever the graph around them; prints how many links it removed.")
    static final class Detach extends AdminAction {

        @Option(names = "--project", required = true, description = "The project id")
        long project;

        @Parameters(arity = "1..*", paramLabel = "ID", description = "The distinct ids to cut loose")
        List<String> ids;

        @Override
        ObjectNode run(AdminContext admin) {
            admin.project(project);
            IdentityStore links = new IdentityStore(admin.db());
            int rows = admin.db().inTransaction(c -> links.deleteAll(c, project, ids));
            return json().put("links_removed", rows / 2);
        }
    }
}
