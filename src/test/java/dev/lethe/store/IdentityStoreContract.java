package dev.lethe.store;

import dev.lethe.identity.IdentityStore;
import dev.lethe.identity.LinkKind;
import dev.lethe.identity.PersonResolver;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** IdentityStore and the PersonResolver walking it. */
abstract class IdentityStoreContract extends StoreContract {

    static final long P = 1;
    static final long OTHER_PROJECT = 2;
    static final long NOW = 1_796_000_000_000L;

    IdentityStore links;
    PersonResolver resolver;

    @BeforeEach
    void stores() {
        links = new IdentityStore(db);
        resolver = new PersonResolver(db, links);
    }

    @Test
    void a_link_is_found_from_both_ends_and_linking_again_changes_nothing() {
        links.link(P, "alias-1", "user-1", LinkKind.ALIAS, NOW);
        links.link(P, "user-1", "alias-1", LinkKind.ALIAS, NOW + 1);
        links.link(P, "alias-1", "user-1", LinkKind.ALIAS, NOW + 2);

        Set<String> fromAlias = db.withConnection(c -> links.neighbours(c, P, List.of("alias-1")));
        Set<String> fromUser = db.withConnection(c -> links.neighbours(c, P, List.of("user-1")));
        long rows = db.withConnection(c -> links.countLinks(c, P, List.of("alias-1", "user-1")));

        assertThat(fromAlias).containsExactly("user-1");
        assertThat(fromUser).containsExactly("alias-1");
        assertThat(rows).isEqualTo(2);
    }

    @Test
    void a_self_link_is_ignored() {
        links.link(P, "same", "same", LinkKind.IDENTIFY, NOW);

        long rows = db.withConnection(c -> links.countLinks(c, P, List.of("same")));
        assertThat(rows).isZero();
    }

    @Test
    void resolve_follows_alias_device_and_identify_links_transitively() {
        links.link(P, "alias-1", "user-1", LinkKind.ALIAS, NOW);
        links.link(P, "device-1", "user-1", LinkKind.DEVICE, NOW);
        links.link(P, "anon-2", "device-1", LinkKind.IDENTIFY, NOW);
        links.link(P, "anon-3", "anon-2", LinkKind.IDENTIFY, NOW);
        links.link(P, "zed", "zed-device", LinkKind.DEVICE, NOW);

        Set<String> person = Set.of("alias-1", "user-1", "device-1", "anon-2", "anon-3");
        assertThat(resolver.resolve(P, List.of("anon-3"))).containsExactlyInAnyOrderElementsOf(person);
        assertThat(resolver.resolve(P, List.of("alias-1"))).containsExactlyInAnyOrderElementsOf(person);
        assertThat(resolver.resolve(P, List.of("zed-device"))).containsExactly("zed", "zed-device");
        assertThat(resolver.resolve(P, List.of("lonely"))).containsExactly("lonely");
    }

    @Test
    void resolve_of_several_ids_unions_their_people_and_sorts_them() {
        links.link(P, "b", "a", LinkKind.ALIAS, NOW);
        links.link(P, "d", "c", LinkKind.ALIAS, NOW);

        assertThat(resolver.resolve(P, List.of("d", "b", "e"))).containsExactly("a", "b", "c", "d", "e");
    }

    @Test
    void resolve_terminates_on_a_cycle() {
        links.link(P, "a", "b", LinkKind.IDENTIFY, NOW);
        links.link(P, "b", "c", LinkKind.DEVICE, NOW);
        links.link(P, "c", "a", LinkKind.ALIAS, NOW);

        assertThat(resolver.resolve(P, List.of("a"))).containsExactly("a", "b", "c");
    }

    @Test
    void resolve_stays_within_the_project() {
        links.link(P, "alias-1", "user-1", LinkKind.ALIAS, NOW);
        links.link(OTHER_PROJECT, "user-1", "other-device", LinkKind.DEVICE, NOW);

        assertThat(resolver.resolve(P, List.of("alias-1"))).containsExactly("alias-1", "user-1");
        assertThat(resolver.resolve(OTHER_PROJECT, List.of("user-1"))).containsExactly("other-device", "user-1");
    }

    @Test
    void deleteAll_removes_every_link_touching_the_person_and_no_other() {
        links.link(P, "alias-1", "user-1", LinkKind.ALIAS, NOW);
        links.link(P, "device-1", "user-1", LinkKind.DEVICE, NOW);
        links.link(P, "zed", "zed-device", LinkKind.DEVICE, NOW);
        links.link(OTHER_PROJECT, "alias-1", "user-1", LinkKind.ALIAS, NOW);

        Set<String> person = resolver.resolve(P, List.of("user-1"));
        int deleted = db.inTransaction(c -> links.deleteAll(c, P, person));

        assertThat(deleted).isEqualTo(4);
        assertThat(resolver.resolve(P, List.of("user-1"))).containsExactly("user-1");
        assertThat(resolver.resolve(P, List.of("device-1"))).containsExactly("device-1");
        assertThat(resolver.resolve(P, List.of("zed"))).containsExactly("zed", "zed-device");
        assertThat(resolver.resolve(OTHER_PROJECT, List.of("alias-1"))).containsExactly("alias-1", "user-1");
    }

    @Test
    void deleteAll_of_one_end_also_removes_the_reverse_direction() {
        links.link(P, "alias-1", "user-1", LinkKind.ALIAS, NOW);

        int deleted = db.inTransaction(c -> links.deleteAll(c, P, List.of("alias-1")));

        assertThat(deleted).isEqualTo(2);
        long left = db.withConnection(c -> links.countLinks(c, P, List.of("alias-1", "user-1")));
        assertThat(left).isZero();
    }
}
