package io.snowpack.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpHeaders;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * How {@code tables} finds the next page: {@code Snowpack-Next} first, else the standard {@code Link} header (a
 * proxy may drop custom headers), and nothing on the last page. The walk itself runs over HTTP in
 * {@link SnowpackCliTest}.
 */
class NextPageTest {
    private static ApiReply page(Map<String, List<String>> headers) {
        return new ApiReply(200, URI.create("http://api/tables"), HttpHeaders.of(headers, (name, value) -> true), "[]");
    }

    @Test
    void snowpackNextWinsThenLinkRelNextThenNothing() {
        assertThat(TablesCommand.next(page(Map.of("Snowpack-Next", List.of("/snowpack/tables?cursor=b"),
                "Link", List.of("</other>; rel=\"next\""))))).contains("/snowpack/tables?cursor=b");
        assertThat(TablesCommand.next(page(Map.of("Link", List.of("</tables?limit=2&cursor=YQ>; rel=\"next\"")))))
                .contains("/tables?limit=2&cursor=YQ");
        assertThat(TablesCommand.next(page(Map.of("Link", List.of("</docs>; rel=\"help\""))))).isEmpty();
        assertThat(TablesCommand.next(page(Map.of()))).isEmpty();
    }
}
