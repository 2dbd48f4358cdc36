package dev.lethe.web.console;

import dev.lethe.auth.ConsoleAuth;
import dev.lethe.auth.SessionStore;
import dev.lethe.auth.UserStore;
import dev.lethe.crypto.InstanceKey;
import dev.lethe.crypto.Secrets;
import dev.lethe.domain.DomainException;
import dev.lethe.web.FormBody;
import io.javalin.http.Context;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The console's session cookie, its CSRF token and the headers every console answer carries.
 * The cookie is {@code HttpOnly; SameSite=Strict; Path=/console}, and {@code Secure} when the
 * request came over TLS (directly, or as the proxy's {@code X-Forwarded-Proto} says) or the
 * public URL is https. The CSRF token is an HMAC of the session value under the instance key:
 * it is never stored, changes with every session, and cannot be computed without the cookie.
 */
final class ConsoleSecurity {

    static final String SESSION_COOKIE = "lethe_session";
    /** Double-submit value of the sign-in form: there is no session yet to bind a token to. */
    static final String SIGN_IN_COOKIE = "lethe_signin";
    private static final String USER = "lethe.console.user";
    private static final String TOKEN = "lethe.console.token";

    /** The operator behind a request, with the CSRF token of their session. */
    record Operator(UserStore.User user, String csrf) {
    }

    private final ConsoleAuth auth;
    private final InstanceKey key;
    private final Supplier<String> publicUrl;
    private final Duration sessionMaxAge;

    ConsoleSecurity(ConsoleAuth auth, InstanceKey key, Supplier<String> publicUrl, Duration sessionMaxAge) {
        this.auth = auth;
        this.key = key;
        this.publicUrl = publicUrl;
        this.sessionMaxAge = sessionMaxAge;
    }

    /** Headers for every console answer: no framing, no sniffing, no caching, no referrer to other sites (download links are signed URLs). */
    static void headers(Context ctx) {
        ctx.header("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                + "connect-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'; object-src 'none'");
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("X-Frame-Options", "DENY");
        // why: same-origin, not no-referrer: with no-referrer browsers send "Origin: null" on form posts
        ctx.header("Referrer-Policy", "same-origin");
        ctx.header("Cache-Control", "no-store");
    }

    /** The signed-in operator, if the session cookie names a live session. */
    Optional<Operator> operator(Context ctx) {
        Operator cached = ctx.attribute(USER);
        if (cached != null) {
            return Optional.of(cached);
        }
        String token = ctx.cookie(SESSION_COOKIE);
        Optional<Operator> found = auth.user(token).map(u -> new Operator(u, csrfFor(token)));
        found.ifPresent(o -> {
            ctx.attribute(USER, o);
            ctx.attribute(TOKEN, token);
        });
        return found;
    }

    /** The signed-in operator, or an unauthenticated refusal. */
    Operator require(Context ctx) {
        return operator(ctx).orElseThrow(() -> DomainException.unauthenticated("sign in to the console first"));
    }

    /**
     * Checks a state-changing request: a live session and its CSRF token (form field {@code csrf}
     * or header {@code X-CSRF-Token}), and an Origin, when the browser sends one, of this host.
     */
    Operator requireForChange(Context ctx) {
        Operator op = require(ctx);
        checkOrigin(ctx);
        String sent = ctx.header("X-CSRF-Token");
        if (sent == null) {
            sent = FormBody.of(ctx).text("csrf");
        }
        if (!Secrets.constantTimeEquals(op.csrf(), sent)) {
            throw DomainException.forbidden("missing or wrong CSRF token: reload the page and try again");
        }
        return op;
    }

    /** Sets a new sign-in form value; the form carries it back in a hidden field. */
    String newSignInNonce(Context ctx) {
        String nonce = Secrets.random(32);
        ctx.res().addHeader("Set-Cookie", cookie(ctx, SIGN_IN_COOKIE, nonce, 600));
        return nonce;
    }

    /** Checks the sign-in form's double-submit value and origin (login CSRF). */
    void checkSignInForm(Context ctx) {
        checkOrigin(ctx);
        String cookie = ctx.cookie(SIGN_IN_COOKIE);
        if (cookie == null || !Secrets.constantTimeEquals(cookie, FormBody.of(ctx).text("nonce"))) {
            throw DomainException.forbidden("the sign-in form has expired: reload the page and try again");
        }
    }

    void startSession(Context ctx, SessionStore.Session session) {
        ctx.res().addHeader("Set-Cookie", cookie(ctx, SESSION_COOKIE, session.token(), sessionMaxAge.toSeconds()));
        ctx.res().addHeader("Set-Cookie", cookie(ctx, SIGN_IN_COOKIE, "", 0));
    }

    void endSession(Context ctx) {
        String token = ctx.cookie(SESSION_COOKIE);
        auth.signOut(token);
        ctx.res().addHeader("Set-Cookie", cookie(ctx, SESSION_COOKIE, "", 0));
    }

    private String csrfFor(String sessionToken) {
        return key.sign("console-csrf:" + sessionToken);
    }

    private void checkOrigin(Context ctx) {
        String origin = ctx.header("Origin");
        if (origin == null) {
            // why: some browsers omit Origin on same-origin form posts; the CSRF token still has to match
            return;
        }
        String host = ctx.header("Host");
        String bare = origin.replaceFirst("^https?://", "");
        if (host == null || !bare.equalsIgnoreCase(host)) {
            throw DomainException.forbidden("cross-site request refused");
        }
    }

    private String cookie(Context ctx, String name, String value, long maxAgeSeconds) {
        StringBuilder c = new StringBuilder(name).append('=').append(value)
                .append("; Path=/console; HttpOnly; SameSite=Strict; Max-Age=").append(maxAgeSeconds);
        if (secure(ctx)) {
            c.append("; Secure");
        }
        return c.toString();
    }

    private boolean secure(Context ctx) {
        String url = publicUrl.get();
        return "https".equalsIgnoreCase(ctx.scheme()) || "https".equalsIgnoreCase(ctx.header("X-Forwarded-Proto"))
                || url != null && url.startsWith("https://");
    }
}
