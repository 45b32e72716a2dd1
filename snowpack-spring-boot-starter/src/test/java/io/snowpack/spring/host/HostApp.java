package io.snowpack.spring.host;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.tomcat.TomcatConnectorCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** A host service: a Spring Boot application with one route of its own, and the starter on its classpath. */
@SpringBootApplication
public class HostApp {
    /**
     * Tomcat refuses a path holding an encoded slash ({@code %2F}) with its own 400 page before any servlet sees it;
     * this host lets such paths through still encoded, so Snowpack answers them itself (422 for a table name such
     * as {@code ..%2F..%2Fetc}, as the API contract requires). A host's choice, not the starter's: it applies to
     * every route of the server.
     */
    @Bean
    TomcatConnectorCustomizer encodedSlashesReachTheApplication() {
        return connector -> connector.setEncodedSolidusHandling("passthrough");
    }

    /** The host's own route, which Snowpack's API must not shadow. */
    @RestController
    static class Greeting {
        @GetMapping("/hello")
        String hello() {
            return "hello from the host";
        }
    }
}
