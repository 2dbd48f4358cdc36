package dev.lethe.web;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;

import java.io.IOException;
import java.util.Collections;
import java.util.Enumeration;

/**
 * Hides {@code X-HTTP-Method-Override} from the router. Javalin routes by that header when a request carries one, so a
 * page that can only make a browser send a GET (an image, a link) could have it reach a DELETE route. Every route is
 * reached by the method the request was sent with; no client of Lethe's APIs needs the header.
 */
final class NoMethodOverride implements Filter {

    static final String HEADER = "X-HTTP-Method-Override";

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain) throws IOException, ServletException {
        if (request instanceof HttpServletRequest http && http.getHeader(HEADER) != null) {
            chain.doFilter(new Without(http), response);
        } else {
            chain.doFilter(request, response);
        }
    }

    /** The request without the header. */
    private static final class Without extends HttpServletRequestWrapper {
        Without(HttpServletRequest request) {
            super(request);
        }

        @Override
        public String getHeader(String name) {
            return HEADER.equalsIgnoreCase(name) ? null : super.getHeader(name);
        }

        @Override
        public Enumeration<String> getHeaders(String name) {
            return HEADER.equalsIgnoreCase(name) ? Collections.emptyEnumeration() : super.getHeaders(name);
        }

        @Override
        public Enumeration<String> getHeaderNames() {
            return Collections.enumeration(Collections.list(super.getHeaderNames()).stream()
                    .filter(n -> !HEADER.equalsIgnoreCase(n)).toList());
        }
    }
}
