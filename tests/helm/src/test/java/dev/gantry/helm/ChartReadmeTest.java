package dev.gantry.helm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The chart's README lists every value of {@code values.yaml} in its table, and nothing that is not one. */
class ChartReadmeTest {

    /** Maps handed to Kubernetes as they are: documented as one value, not key by key. */
    private static final Set<String> PASSED_THROUGH = Set.of("resources", "podSecurityContext", "securityContext",
            "gpu.nodeSelector");

    private static final Pattern TABLE_ROW = Pattern.compile("(?m)^\\| `([^`]+)` \\|");

    @Test
    void everyValueHasARowInTheValuesTable() throws IOException {
        JsonNode values = new YAMLMapper().readTree(ProjectFiles.chart().resolve("values.yaml").toFile());
        List<String> paths = new ArrayList<>();
        collect(values, "", paths);

        Set<String> documented = new LinkedHashSet<>();
        Matcher row = TABLE_ROW.matcher(Files.readString(ProjectFiles.chart().resolve("README.md")));
        while (row.find()) {
            documented.add(row.group(1));
        }
        List<String> missing = paths.stream().filter(p -> !documented.contains(p)).toList();
        List<String> stale = documented.stream().filter(p -> !paths.contains(p)).toList();
        assertEquals(List.of(), missing, "values without a row in helm/gantry/README.md");
        assertEquals(List.of(), stale, "README rows for values that do not exist");
    }

    private static void collect(JsonNode node, String prefix, List<String> paths) {
        Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            String path = prefix + field.getKey();
            JsonNode value = field.getValue();
            if (value.isObject() && !value.isEmpty() && !PASSED_THROUGH.contains(path)) {
                collect(value, path + ".", paths);
            } else {
                paths.add(path);
            }
        }
    }
}
