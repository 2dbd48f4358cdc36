package dev.lethe.architecture.sample.feature;

import dev.lethe.architecture.sample.store.StoreThatReachesUp;
import io.javalin.http.Context;

/** Breaks the rule on purpose: a service that sets an HTTP status itself. */
public final class ServiceThatRendersHttp {

    public static void refuse(Context ctx) {
        ctx.status(400);
        StoreThatReachesUp.save("x");
    }
}
