package dev.gantry.helm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/** {@code helm/gantry} driven through the real helm binary: lint, template, and the rendered manifests parsed. */
final class GantryChart {

    /** The values that turn on every optional part the chart has for GPU spot pools fed by Kafka. */
    static final Map<String, String> GPU_SPOT_KEDA_MONITOR = values(
            "gpu.enabled", "true",
            "spot.enabled", "true",
            "keda.enabled", "true",
            "kafka.bootstrapServers", "kafka-0.kafka:9092,kafka-1.kafka:9092",
            "metrics.serviceMonitor.enabled", "true");

    private static final YAMLMapper YAML = new YAMLMapper();

    private GantryChart() {
    }

    /** {@code key, value, key, value, ...} as an ordered map of {@code --set} values. */
    static Map<String, String> values(String... keysAndValues) {
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            values.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return values;
    }

    /** Runs {@code helm <command> <chart> [--set k=v]...} and returns its result. */
    static HelmBinary.Result helm(String command, String release, Map<String, String> values, String... extra) {
        List<String> args = new ArrayList<>(List.of(HelmBinary.require().toString(), command));
        if (release != null) {
            args.add(release);
        }
        args.add(ProjectFiles.chart().toString());
        values.forEach((k, v) -> {
            args.add("--set");
            args.add(k + "=" + v.replace(",", "\\,"));
        });
        args.addAll(List.of(extra));
        try {
            return HelmBinary.exec(args, 120);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code helm lint --strict}; fails the test with helm's output when the chart does not pass. */
    static String lint(Map<String, String> values) {
        HelmBinary.Result result = helm("lint", null, values, "--strict");
        if (result.exitCode() != 0) {
            throw new AssertionError("helm lint --strict failed for " + values + ":\n" + result.output());
        }
        return result.output();
    }

    /** {@code helm template}: the manifests, or an AssertionError with helm's output. */
    static Manifests render(Map<String, String> values) {
        HelmBinary.Result result = helm("template", "gantry-test", values);
        if (result.exitCode() != 0) {
            throw new AssertionError("helm template failed for " + values + ":\n" + result.output());
        }
        return Manifests.parse(result.output());
    }

    /** {@code helm template} expected to fail: helm's message. */
    static String renderFailure(Map<String, String> values) {
        HelmBinary.Result result = helm("template", "gantry-test", values);
        if (result.exitCode() == 0) {
            throw new AssertionError("helm template accepted " + values + " but should have refused them");
        }
        return result.output();
    }

    /** The rendered documents of one release. */
    record Manifests(List<JsonNode> documents) {

        static Manifests parse(String yaml) {
            try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(yaml)) {
                List<JsonNode> docs = new ArrayList<>();
                while (it.hasNext()) {
                    JsonNode doc = it.next();
                    if (doc != null && !doc.isNull() && !doc.isMissingNode() && doc.has("kind")) {
                        docs.add(doc);
                    }
                }
                return new Manifests(docs);
            } catch (IOException e) {
                throw new AssertionError("the rendered manifests are not YAML: " + e.getMessage() + "\n" + yaml, e);
            }
        }

        /** Every document of this kind. */
        List<JsonNode> all(String kind) {
            return documents.stream().filter(d -> kind.equals(d.path("kind").asText())).toList();
        }

        /** The one document of this kind; fails when there is none or more than one. */
        JsonNode one(String kind) {
            List<JsonNode> found = all(kind);
            if (found.size() != 1) {
                throw new AssertionError("expected one " + kind + ", found " + found.size() + " among "
                        + documents.stream().map(d -> d.path("kind").asText()).toList());
            }
            return found.getFirst();
        }

        /** The Deployment or StatefulSet running the service. */
        JsonNode workload() {
            List<JsonNode> found = new ArrayList<>(all("Deployment"));
            found.addAll(all("StatefulSet"));
            if (found.size() != 1) {
                throw new AssertionError("expected one Deployment or StatefulSet, found " + found.size());
            }
            return found.getFirst();
        }

        JsonNode podSpec() {
            return workload().path("spec").path("template").path("spec");
        }

        /** The service container. */
        JsonNode container() {
            for (JsonNode c : podSpec().path("containers")) {
                if ("gantry".equals(c.path("name").asText())) {
                    return c;
                }
            }
            throw new AssertionError("no container named gantry");
        }

        /** Every container and init container of the pod. */
        List<JsonNode> allContainers() {
            List<JsonNode> all = new ArrayList<>();
            podSpec().path("initContainers").forEach(all::add);
            podSpec().path("containers").forEach(all::add);
            return all;
        }

        /** The ConfigMap's {@code application.properties}, parsed as Java (and MicroProfile Config) reads it. */
        Properties applicationProperties() {
            String text = one("ConfigMap").path("data").path("application.properties").asText(null);
            if (text == null) {
                throw new AssertionError("the ConfigMap has no application.properties");
            }
            Properties properties = new Properties();
            try {
                properties.load(new StringReader(text));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return properties;
        }
    }
}
