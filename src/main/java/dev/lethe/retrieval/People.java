package dev.lethe.retrieval;

import dev.lethe.identity.PersonResolver;
import dev.lethe.store.Tx;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The exported ids grouped into people (ids linked together), so the Categories and
 * Sources views can answer per person. Only ids of the export are grouped.
 */
final class People {

    private final List<List<String>> members;
    private final Map<String, Integer> index;

    private People(List<List<String>> members, Map<String, Integer> index) {
        this.members = members;
        this.index = index;
    }

    static People group(Tx tx, PersonResolver resolver, long projectId, Collection<String> ids) throws SQLException {
        Set<String> exported = new TreeSet<>(ids);
        Map<String, Integer> index = new HashMap<>();
        List<List<String>> members = new ArrayList<>();
        for (String id : exported) {
            if (index.containsKey(id)) {
                continue;
            }
            Set<String> person = new TreeSet<>(resolver.resolve(tx, projectId, List.of(id)));
            person.retainAll(exported);
            person.add(id);
            for (String member : person) {
                index.putIfAbsent(member, members.size());
            }
            members.add(List.copyOf(person));
        }
        return new People(members, index);
    }

    int size() {
        return members.size();
    }

    List<String> members(int person) {
        return members.get(person);
    }

    int personOf(String distinctId) {
        Integer person = index.get(distinctId);
        if (person == null) {
            throw new IllegalStateException("an exported row belongs to no exported id");
        }
        return person;
    }
}
