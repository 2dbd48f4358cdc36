package dev.lethe.identity;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class AnonymousIdsTest {

    @ParameterizedTest
    @ValueSource(strings = {"$device:6fbe88f6-3c1d-4b8e-a2f7-9d0e1c2b3a4f", "$device:anything",
            "6fbe88f6-3c1d-4b8e-a2f7-9d0e1c2b3a4f", "17b3e5c2a1f4a2-0f1e2d3c4b5a69-26031e51-1fa400-17b3e5c2a20b8f"})
    void ids_the_sdks_generate_are_anonymous(String id) {
        assertThat(AnonymousIds.looksAnonymous(id)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"alice", "alice@example.com", "dev-1", "a-b-c-d-e", "12345", "6fbe88f6-3c1d-4b8e-a2f7",
            "6fbe88f6-3c1d-4b8e-a2f7-9d0e1c2b3a4z", "device:6fbe88f6-3c1d-4b8e-a2f7-9d0e1c2b3a4f"})
    void user_ids_are_not(String id) {
        assertThat(AnonymousIds.looksAnonymous(id)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"abc", "$device:abc"})
    void a_device_id_has_one_anonymous_distinct_id(String device) {
        assertThat(AnonymousIds.ofDevice(device)).isEqualTo("$device:abc");
    }
}
