package io.ferry;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.camel.CamelContext;
import org.apache.camel.FailedToCreateRouteException;
import org.apache.camel.FailedToStartRouteException;
import org.apache.camel.model.Model;
import org.apache.camel.model.ProcessorDefinition;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.spi.Resource;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;

import io.ferry.kernel.ConfigurationException;

/**
 * A route that Camel cannot create or start, said in terms of the file an integration engineer edits: Camel's
 * own message names the route id and the step, not the file the route came from.
 */
final class RouteFileErrors {

    private static final Pattern STEP = Pattern.compile("at: >>> (.*?) <<<", Pattern.DOTALL);

    private RouteFileErrors() {
    }

    private static final Pattern YAML_MARK = Pattern.compile("(?m)^\\s*in (\\S+), line (\\d+), column (\\d+):?\\s*$");

    /**
     * A ConfigurationException naming the route's file (and line), the route, the step and Camel's reason; null when
     * it is no route file's failure.
     */
    static ConfigurationException explain(Throwable error, CamelContext camel) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof YamlEngineException yaml) {
                return new ConfigurationException(yamlError(yaml), error);
            }
        }
        String routeId = null;
        String step = null;
        for (Throwable t = error; t != null && routeId == null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof FailedToCreateRouteException created) {
                routeId = created.getRouteId();
                Matcher m = STEP.matcher(String.valueOf(created.getMessage()));
                step = m.find() ? m.group(1) : null;
            } else if (t instanceof FailedToStartRouteException started) {
                routeId = started.getRouteId();
            }
        }
        if (routeId == null) {
            return null;
        }
        RouteDefinition route = camel == null ? null : camel.getCamelContextExtension().getContextPlugin(Model.class).getRouteDefinition(routeId);
        Resource resource = route == null ? null : route.getResource();
        // Camel keeps no file for a route made from a templatedRoute: the route id names it (it is the templatedRoute's routeId)
        boolean templated = resource == null && route != null && route.isCreatedFromTemplate();
        String file = resource != null ? resource.getLocation() : templated ? null : "a route file";
        Integer line = step == null || route == null || templated ? null : lineOf(route.getOutputs(), step);
        return new ConfigurationException((file == null ? "" : file + (line == null ? "" : ":" + line) + ": ") + "route '" + routeId + "'"
                + (templated ? " (a templatedRoute)" : "") + (step == null ? "" : ", step " + step) + ": " + reason(error), error);
    }

    /** The YAML DSL's message (what, then "in FILE, line L, column C:" and the line with a caret) as one line. */
    private static String yamlError(YamlEngineException e) {
        String message = String.valueOf(e.getMessage());
        Matcher m = YAML_MARK.matcher(message);
        if (!m.find()) {
            return message.replaceAll("\\s+", " ").strip();
        }
        String what = message.substring(0, m.start()).replaceAll("\\s+", " ").strip();
        return m.group(1) + ":" + m.group(2) + ":" + m.group(3) + ": " + what;
    }

    /** The line of the step whose description Camel's message quotes, when the DSL recorded it. */
    private static Integer lineOf(List<ProcessorDefinition<?>> steps, String description) {
        for (ProcessorDefinition<?> p : steps) {
            if (description.equals(p.toString()) && p.getLineNumber() > 0) {
                return p.getLineNumber();
            }
            Integer inner = lineOf(p.getOutputs(), description);
            if (inner != null) {
                return inner;
            }
        }
        return null;
    }

    /** The innermost message: what was wrong, without the layers of "Failed to create route … because …". */
    private static String reason(Throwable error) {
        Throwable t = error;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return String.valueOf(t.getMessage()).replaceAll("\\s+", " ").strip();
    }
}
