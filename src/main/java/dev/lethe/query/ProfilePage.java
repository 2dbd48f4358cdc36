package dev.lethe.query;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;

/** One page of a profile listing, in Mixpanel's engage terms. */
public record ProfilePage(int page, int pageSize, String sessionId, long total, List<Profile> results) {

    /** A profile as engage returns it. */
    public record Profile(String distinctId, ObjectNode properties) {
    }
}
