package io.ferry.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.camel.spi.UriParam;
import org.junit.jupiter.api.Test;

/**
 * The ferry: steps' options are declared once (FerryEndpoint's @UriParam fields, labelled with their step) and README's
 * table of the steps names each of them, with its default where it has one, in its step's row; every setter Camel
 * can bind is declared.
 */
class FerryStepsDocumentedTest {

    private static final Pattern OPTION = Pattern.compile("`([a-zA-Z]+)`(?: \\(([^)]*)\\))?");

    @Test
    void readmeNamesEveryDeclaredOptionInItsStepsRow() throws Exception {
        List<String> readme = Files.readAllLines(Path.of("README.md"));
        List<String> problems = new ArrayList<>();
        for (Field f : FerryEndpoint.class.getDeclaredFields()) {
            UriParam p = f.getAnnotation(UriParam.class);
            if (p == null) {
                continue;
            }
            String row = readme.stream().filter(l -> l.startsWith("| `ferry:" + p.label() + "`")).findFirst().orElse(null);
            if (row == null) {
                problems.add(f.getName() + ": README has no row for ferry:" + p.label());
                continue;
            }
            String parameters = row.split("\\|")[2];
            Matcher m = OPTION.matcher(parameters);
            boolean named = false;
            while (m.find()) {
                if (m.group(1).equals(f.getName())) {
                    named = true;
                    if (!p.defaultValue().isEmpty() && (m.group(2) == null || !m.group(2).startsWith(p.defaultValue()))) {
                        problems.add(f.getName() + ": README gives its default as '" + m.group(2) + "', declared " + p.defaultValue());
                    }
                }
            }
            if (!named && !parameters.contains("`" + f.getName() + "`")) {
                problems.add(f.getName() + ": not named in README's ferry:" + p.label() + " row");
            }
            assertThat(p.description()).as(f.getName()).startsWith(p.label() + ": ");
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void everySetterIsADeclaredOption() {
        List<String> undeclared = new ArrayList<>();
        for (Method m : FerryEndpoint.class.getDeclaredMethods()) {
            if (Modifier.isPublic(m.getModifiers()) && m.getName().startsWith("set") && m.getParameterCount() == 1) {
                String name = m.getName().substring(3, 4).toLowerCase(Locale.ROOT) + m.getName().substring(4);
                try {
                    if (FerryEndpoint.class.getDeclaredField(name).getAnnotation(UriParam.class) == null) {
                        undeclared.add(name);
                    }
                } catch (NoSuchFieldException e) {
                    undeclared.add(name);
                }
            }
        }
        assertThat(undeclared).isEmpty();
    }
}
