package io.ferry.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * The console's pages put every value in as text: their scripts never parse markup or code, so nothing a vendor, a
 * record or a user wrote can run in an operator's browser; and the pages load no script or style from elsewhere.
 */
class ConsoleScriptTest {

    private static final Path CONSOLE = Path.of("src", "main", "resources", "console");
    /** what would turn a string into markup or code */
    private static final List<Pattern> MARKUP = List.of(Pattern.compile("\\.innerHTML\\b"), Pattern.compile("\\.outerHTML\\b"),
            Pattern.compile("insertAdjacentHTML"), Pattern.compile("document\\.write"), Pattern.compile("\\beval\\s*\\("),
            Pattern.compile("new\\s+Function\\s*\\("), Pattern.compile("createContextualFragment"), Pattern.compile("DOMParser"),
            Pattern.compile("setTimeout\\s*\\(\\s*['\"`]"), Pattern.compile("setInterval\\s*\\(\\s*['\"`]"));

    @Test
    void theScriptsMakeTextNodesOnly() throws Exception {
        try (var files = Files.walk(CONSOLE)) {
            List<Path> scripts = files.filter(p -> p.toString().endsWith(".js")).toList();
            assertThat(scripts).extracting(p -> p.getFileName().toString()).contains("console.js", "login.js");
            for (Path js : scripts) {
                String code = Files.readString(js).replaceAll("(?m)^\\s*//.*$", "");
                for (Pattern p : MARKUP) {
                    assertThat(p.matcher(code).find()).as(js + " uses " + p.pattern()).isFalse();
                }
            }
        }
    }

    @Test
    void thePagesHaveNoInlineScriptAndLoadNothingFromElsewhere() throws Exception {
        try (var files = Files.walk(CONSOLE)) {
            for (Path html : files.filter(p -> p.toString().endsWith(".html")).toList()) {
                String page = Files.readString(html);
                assertThat(page).as(html.toString()).doesNotContainPattern("<script(?![^>]*\\bsrc=\"/console/assets/)")
                        .doesNotContainPattern("\\son[a-z]+=").doesNotContain("http://").doesNotContain("https://")
                        .doesNotContain("style=");
            }
        }
    }
}
