package io.ferry.config;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * Where each templatedRoute of a YAML route file is, and each of its parameters: Camel keeps no file or line for a
 * route made from a template (its steps carry the template's lines), so a problem in a sync's parameter is placed
 * by reading the file again.
 */
final class TemplatedRouteLines {

    /** A templatedRoute: its line, and the line of each parameter it gives (1-based). */
    record Lines(int line, Map<String, Integer> parameters) {

        /** The parameter's line, else the templatedRoute's. */
        int of(String parameter) {
            return parameter == null ? line : parameters.getOrDefault(parameter, line);
        }
    }

    private TemplatedRouteLines() {
    }

    /** By routeId; empty for a file that is not YAML or does not parse (that is reported on its own). */
    static Map<String, Lines> read(String text) {
        Map<String, Lines> out = new HashMap<>();
        Optional<Node> root;
        try {
            root = new Compose(LoadSettings.builder().build()).composeString(text);
        } catch (RuntimeException e) {
            return out;
        }
        if (root.isEmpty() || !(root.get() instanceof SequenceNode items)) {
            return out;
        }
        for (Node item : items.getValue()) {
            Node templated = item instanceof MappingNode m ? get(m, "templatedRoute") : null;
            if (!(templated instanceof MappingNode t) || !(get(t, "routeId") instanceof ScalarNode id)) {
                continue;
            }
            Map<String, Integer> parameters = new HashMap<>();
            if (get(t, "parameters") instanceof SequenceNode list) {
                for (Node p : list.getValue()) {
                    if (p instanceof MappingNode pm && get(pm, "name") instanceof ScalarNode name) {
                        parameters.put(name.getValue(), line(p));
                    }
                }
            }
            out.put(id.getValue(), new Lines(line(item), parameters));
        }
        return out;
    }

    private static Node get(MappingNode node, String key) {
        List<NodeTuple> tuples = node.getValue();
        for (NodeTuple t : tuples) {
            if (t.getKeyNode() instanceof ScalarNode k && key.equals(k.getValue())) {
                return t.getValueNode();
            }
        }
        return null;
    }

    private static int line(Node node) {
        return node.getStartMark().map(m -> m.getLine() + 1).orElse(0);
    }
}
