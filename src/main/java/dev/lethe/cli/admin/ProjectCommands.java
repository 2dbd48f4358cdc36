package dev.lethe.cli.admin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lethe.project.Project;
import dev.lethe.project.ProjectStore;
import dev.lethe.project.Region;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code lethe admin project create | list}. */
@Command(name = "project", mixinStandardHelpOptions = true, description = "Create and list projects.",
        subcommands = {ProjectCommands.Create.class, ProjectCommands.ListAll.class})
final class ProjectCommands {

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Create a project; prints its token and api_secret (the secret is shown only this once).")
    static final class Create extends AdminAction {

        @Option(names = "--name", required = true, description = "Project name")
        String name;

        @Option(names = "--region", defaultValue = "${env:LETHE_REGION:-US}",
                description = "US, EU or IN; fixed for good (default: the instance's region, env LETHE_REGION, else US)")
        String region;

        @Override
        ObjectNode run(AdminContext admin) {
            if (name.isBlank()) {
                throw new AdminException("the project name must not be blank");
            }
            ProjectStore.Created created = admin.projects().create(name.trim(), Region.parse(region));
            ObjectNode out = json();
            out.put("project_id", created.project().id());
            out.put("token", created.project().token());
            out.put("api_secret", created.apiSecret());
            out.put("region", created.project().region().name());
            return out;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List every project (no secrets).")
    static final class ListAll extends AdminAction {

        @Override
        ObjectNode run(AdminContext admin) {
            ObjectNode out = json();
            ArrayNode projects = out.putArray("projects");
            for (Project p : admin.projects().list()) {
                projects.addObject()
                        .put("project_id", p.id())
                        .put("name", p.name())
                        .put("token", p.token())
                        .put("region", p.region().name());
            }
            return out;
        }
    }
}
