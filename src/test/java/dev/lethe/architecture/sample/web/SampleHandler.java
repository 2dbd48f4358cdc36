package dev.lethe.architecture.sample.web;

import dev.lethe.architecture.sample.feature.ServiceThatRendersHttp;

/** A web-layer class of the sample; lower layers must not use it. */
public final class SampleHandler {

    public static Class<?> service() {
        return ServiceThatRendersHttp.class;
    }

    public static String render(String body) {
        return body;
    }
}
