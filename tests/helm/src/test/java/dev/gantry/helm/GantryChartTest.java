package dev.gantry.helm;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.helm.GantryChart.Manifests;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static dev.gantry.helm.GantryChart.GPU_SPOT_KEDA_MONITOR;
import static dev.gantry.helm.GantryChart.values;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code helm lint --strict} and {@code helm template} on {@code helm/gantry}, with the default values and with
 * GPU, spot, KEDA and ServiceMonitor turned on; the rendered manifests are parsed and checked against what the
 * service needs: its configuration file, probe paths and port, drain timing, and a pod that never runs as root.
 */
class GantryChartTest {

    private static final Map<String, String> DEFAULTS = Map.of();

    @Test
    void lintPassesStrictWithDefaults() {
        assertTrue(GantryChart.lint(DEFAULTS).contains("0 chart(s) failed"));
    }

    @Test
    void lintPassesStrictWithGpuSpotKedaAndServiceMonitor() {
        assertTrue(GantryChart.lint(GPU_SPOT_KEDA_MONITOR).contains("0 chart(s) failed"));
    }

    @Test
    void defaultsServeTheDemoModelOnTheCpuWithRestOnly() {
        Manifests m = GantryChart.render(DEFAULTS);
        for (String kind : List.of("ConfigMap", "Service", "Deployment", "PodDisruptionBudget", "ServiceAccount")) {
            assertEquals(1, m.all(kind).size(), kind);
        }
        for (String kind : List.of("HorizontalPodAutoscaler", "ScaledObject", "ServiceMonitor", "PersistentVolumeClaim",
                "StatefulSet", "Secret")) {
            assertEquals(0, m.all(kind).size(), kind);
        }
        Properties p = m.applicationProperties();
        assertNull(p.getProperty("gantry.model.path"), "no model file: the built-in demo model is served");
        assertEquals("auto", p.getProperty("gantry.device"));
        assertEquals(1, m.workload().path("spec").path("replicas").asInt());
        JsonNode resources = m.container().path("resources");
        assertTrue(resources.path("limits").path("nvidia.com/gpu").isMissingNode());
        assertTrue(m.podSpec().path("nodeSelector").isMissingNode());
        assertTrue(m.podSpec().path("tolerations").isMissingNode());
        assertTrue(m.podSpec().path("initContainers").isMissingNode());
    }

    @Test
    void pluginChoicesInTheConfigMapReachTheContainerAsItsConfigFile() {
        Manifests m = GantryChart.render(values(
                "plugins.speculator", "ngram",
                "plugins.kvCodec", "f16",
                "plugins.settings.baseline.fcfs\\.preemption-mode", "swap",
                "plugins.settings.baseline.ngram\\.max", "3"));
        Properties p = m.applicationProperties();
        assertEquals("fcfs", p.getProperty("gantry.scheduler"));
        assertEquals("ngram", p.getProperty("gantry.speculator"));
        assertEquals("dense", p.getProperty("gantry.attention"));
        assertEquals("f16", p.getProperty("gantry.kv-codec"));
        assertEquals("single-instance", p.getProperty("gantry.planner"));
        assertEquals("swap", p.getProperty("gantry.plugin.baseline.fcfs.preemption-mode"));
        assertEquals("3", p.getProperty("gantry.plugin.baseline.ngram.max"));

        // The file is mounted as config/application.properties under the container's working directory.
        JsonNode container = m.container();
        String workingDir = container.path("workingDir").asText();
        assertEquals("/deployments", workingDir);
        String configMapName = m.one("ConfigMap").path("metadata").path("name").asText();
        String volume = null;
        for (JsonNode v : m.podSpec().path("volumes")) {
            if (configMapName.equals(v.path("configMap").path("name").asText())) {
                volume = v.path("name").asText();
            }
        }
        assertTrue(volume != null, "a volume from ConfigMap " + configMapName);
        JsonNode mount = mountNamed(container, volume);
        assertEquals(workingDir + "/config", mount.path("mountPath").asText());
        assertTrue(mount.path("readOnly").asBoolean());
        // The whole ConfigMap becomes the directory: its one key is the file name Quarkus reads.
        assertEquals(List.of("application.properties"), fieldNames(m.one("ConfigMap").path("data")));

        // No plugin setting travels through environment variables (their names cannot carry dots).
        for (JsonNode env : container.path("env")) {
            String name = env.path("name").asText();
            assertFalse(name.startsWith("GANTRY_PLUGIN") || name.equals("GANTRY_SCHEDULER")
                    || name.equals("GANTRY_SPECULATOR"), name);
        }
        // A changed configuration rolls the pods.
        assertFalse(m.workload().path("spec").path("template").path("metadata").path("annotations")
                .path("checksum/config").asText().isEmpty());
    }

    @Test
    void probesHitTheHealthPathsOnTheServicePort() {
        for (Map<String, String> values : List.of(DEFAULTS, GPU_SPOT_KEDA_MONITOR)) {
            Manifests m = GantryChart.render(values);
            JsonNode c = m.container();
            assertProbe(c, "startupProbe", "/q/health/started");
            assertProbe(c, "readinessProbe", "/q/health/ready");
            assertProbe(c, "livenessProbe", "/q/health/live");
            JsonNode port = c.path("ports").get(0);
            assertEquals("http", port.path("name").asText());
            assertEquals(8000, port.path("containerPort").asInt());
            assertEquals("8000", m.applicationProperties().getProperty("quarkus.http.port"),
                    "the service listens where the probes knock");
            assertEquals("0.0.0.0", m.applicationProperties().getProperty("quarkus.http.host"));
            JsonNode service = m.one("Service").path("spec").path("ports").get(0);
            assertEquals("http", service.path("targetPort").asText());
            assertEquals(8000, service.path("port").asInt());
        }
    }

    @Test
    void gracePeriodCoversPreStopAndTheDrainTimeout() {
        for (Map<String, String> values : List.of(DEFAULTS, GPU_SPOT_KEDA_MONITOR,
                values("drain.timeoutSeconds", "120", "drain.preStopSleepSeconds", "10"))) {
            Manifests m = GantryChart.render(values);
            long drain = Duration.parse("PT" + m.applicationProperties().getProperty("gantry.drain-timeout")
                    .toUpperCase()).toSeconds();
            long grace = m.podSpec().path("terminationGracePeriodSeconds").asLong();
            long preStop = m.container().path("lifecycle").path("preStop").path("sleep").path("seconds").asLong();
            assertTrue(preStop > 0, "a preStop sleep lets endpoints drop the pod before SIGTERM");
            assertTrue(grace > drain, "grace " + grace + " s must exceed the drain timeout " + drain + " s");
            assertTrue(grace > preStop + drain, "grace " + grace + " s must cover preStop " + preStop
                    + " s and the drain " + drain + " s");
        }
        Properties p = GantryChart.render(values("drain.timeoutSeconds", "120")).applicationProperties();
        assertEquals("120s", p.getProperty("gantry.drain-timeout"));
    }

    @Test
    void noContainerRunsAsRootOrWritesOutsideItsVolumes() {
        Map<String, String> withInit = new java.util.LinkedHashMap<>(GPU_SPOT_KEDA_MONITOR);
        withInit.putAll(values("model.download.enabled", "true",
                "model.download.url", "https://models.example/tinyllama.Q8_0.gguf"));
        for (Map<String, String> values : List.of(DEFAULTS, withInit)) {
            Manifests m = GantryChart.render(values);
            JsonNode pod = m.podSpec().path("securityContext");
            assertTrue(pod.path("runAsNonRoot").asBoolean());
            assertNotEquals(0, pod.path("runAsUser").asInt(0));
            List<JsonNode> containers = m.allContainers();
            assertEquals(values == DEFAULTS ? 1 : 2, containers.size());
            for (JsonNode c : containers) {
                String name = c.path("name").asText();
                JsonNode sc = c.path("securityContext");
                assertTrue(sc.path("runAsNonRoot").asBoolean(true), name);
                assertNotEquals(0, sc.path("runAsUser").asInt(1), name);
                assertFalse(sc.path("privileged").asBoolean(false), name);
                assertFalse(sc.path("allowPrivilegeEscalation").asBoolean(true), name);
                assertTrue(sc.path("readOnlyRootFilesystem").asBoolean(), name);
                assertEquals("ALL", sc.path("capabilities").path("drop").get(0).asText(), name);
                JsonNode tmp = mountNamed(c, "tmp");
                assertEquals("/tmp", tmp.path("mountPath").asText(), name);
            }
            JsonNode tmpVolume = null;
            for (JsonNode v : m.podSpec().path("volumes")) {
                if ("tmp".equals(v.path("name").asText())) {
                    tmpVolume = v;
                }
            }
            assertTrue(tmpVolume != null && tmpVolume.has("emptyDir"), "/tmp is an emptyDir");
        }
    }

    @Test
    void gpuSpotKedaAndServiceMonitorRender() {
        Manifests m = GantryChart.render(GPU_SPOT_KEDA_MONITOR);
        JsonNode pod = m.podSpec();
        JsonNode c = m.container();
        assertEquals(1, c.path("resources").path("limits").path("nvidia.com/gpu").asInt());
        assertTrue(c.path("image").asText().endsWith("-cuda"), c.path("image").asText());
        assertEquals("true", pod.path("nodeSelector").path("nvidia.com/gpu.present").asText());
        List<String> tolerated = new ArrayList<>();
        pod.path("tolerations").forEach(t -> tolerated.add(t.path("key").asText()));
        assertTrue(tolerated.containsAll(List.of("nvidia.com/gpu", "cloud.google.com/gke-spot",
                "kubernetes.azure.com/scalesetpriority")), tolerated.toString());
        JsonNode spotTerm = pod.path("affinity").path("nodeAffinity")
                .path("preferredDuringSchedulingIgnoredDuringExecution").get(0).path("preference")
                .path("matchExpressions").get(0);
        assertEquals("karpenter.sh/capacity-type", spotTerm.path("key").asText());
        assertEquals("spot", spotTerm.path("values").get(0).asText());
        assertTrue(pod.path("affinity").has("podAntiAffinity"), "replicas spread over spot nodes");

        // KEDA scales the workload on the request topic's consumer lag and owns the replica count.
        JsonNode scaled = m.one("ScaledObject").path("spec");
        assertEquals(m.workload().path("kind").asText(), scaled.path("scaleTargetRef").path("kind").asText());
        assertEquals(m.workload().path("metadata").path("name").asText(),
                scaled.path("scaleTargetRef").path("name").asText());
        JsonNode trigger = scaled.path("triggers").get(0);
        assertEquals("kafka", trigger.path("type").asText());
        assertEquals("gantry.requests", trigger.path("metadata").path("topic").asText());
        assertEquals("gantry", trigger.path("metadata").path("consumerGroup").asText(),
                "the lag measured is that of the group the replicas consume in (gantry.kafka.group-id)");
        assertEquals("kafka-0.kafka:9092,kafka-1.kafka:9092",
                trigger.path("metadata").path("bootstrapServers").asText());
        assertTrue(m.workload().path("spec").path("replicas").isMissingNode());
        assertEquals(0, m.all("HorizontalPodAutoscaler").size(), "KEDA creates its own HPA");

        JsonNode endpoint = m.one("ServiceMonitor").path("spec").path("endpoints").get(0);
        assertEquals("/q/metrics", endpoint.path("path").asText());
        assertEquals("http", endpoint.path("port").asText());
    }

    @Test
    void kafkaIsDisabledByDefaultAndExternalWithBootstrapServers() {
        Properties defaults = GantryChart.render(DEFAULTS).applicationProperties();
        assertEquals("disabled", defaults.getProperty("gantry.kafka.mode"));
        assertNull(defaults.getProperty("kafka.bootstrap.servers"));
        assertTrue(defaults.stringPropertyNames().stream().noneMatch(k -> k.startsWith("gantry.kafka.topics.")));

        Properties external = GantryChart.render(values("kafka.bootstrapServers", "broker:9092",
                "kafka.topics.dlq", "team.dlq")).applicationProperties();
        assertEquals("external", external.getProperty("gantry.kafka.mode"));
        assertEquals("broker:9092", external.getProperty("kafka.bootstrap.servers"));
        assertEquals("gantry.requests", external.getProperty("gantry.kafka.topics.requests"));
        assertEquals("gantry.responses", external.getProperty("gantry.kafka.topics.responses"));
        assertEquals("gantry.preemption", external.getProperty("gantry.kafka.topics.preemption"));
        assertEquals("gantry.checkpoints", external.getProperty("gantry.kafka.topics.checkpoints"));
        assertEquals("team.dlq", external.getProperty("gantry.kafka.topics.dlq"));
        assertEquals("gantry.state", external.getProperty("gantry.kafka.topics.state"));
        assertEquals("gantry", external.getProperty("gantry.kafka.group-id"));
        // The embedded broker is for one machine, never a cluster: the chart has no value that selects it.
        assertTrue(GantryChart.renderFailure(values("kafka.mode", "embedded")).contains("kafka"));
    }

    @Test
    void schemaRejectsWrongTypes() {
        assertTrue(GantryChart.renderFailure(values("replicaCount", "two")).contains("replicaCount"));
        assertTrue(GantryChart.renderFailure(values("gpu.enabled", "yes-please")).contains("gpu"));
        assertTrue(GantryChart.renderFailure(values("drain.timeoutSeconds", "30s")).contains("timeoutSeconds"));
        assertTrue(GantryChart.renderFailure(values("config.kvBudget", "lots")).contains("kvBudget"));
        // A numeric tag given with --set is still a tag.
        assertTrue(GantryChart.render(values("image.tag", "2")).container().path("image").asText().endsWith(":2"));
    }

    @Test
    void schemaRejectsUnknownPluginsUnlessAPluginPathIsConfigured() {
        String refused = GantryChart.renderFailure(values("plugins.scheduler", "fastserve"));
        assertTrue(refused.contains("/plugins/scheduler") && refused.contains("fcfs"), refused);
        assertTrue(GantryChart.renderFailure(values("plugins.speculator", "medusa")).contains("/plugins/speculator"));
        String settingsRefused = GantryChart.renderFailure(values("plugins.settings.fastserve.queues", "4"));
        assertTrue(settingsRefused.contains("fastserve") && settingsRefused.contains("baseline"), settingsRefused);

        Properties p = GantryChart.render(values(
                "plugins.path", "/opt/gantry/plugins",
                "plugins.volume.persistentVolumeClaim.claimName", "gantry-plugins",
                "plugins.scheduler", "fastserve",
                "plugins.speculator", "medusa",
                "plugins.settings.fastserve.queues", "4")).applicationProperties();
        assertEquals("fastserve", p.getProperty("gantry.scheduler"));
        assertEquals("medusa", p.getProperty("gantry.speculator"));
        assertEquals("4", p.getProperty("gantry.plugin.fastserve.queues"));
        assertEquals("/opt/gantry/plugins", p.getProperty("gantry.plugin-path"));

        // With a plugin path any well-formed name passes, but not a malformed one.
        assertTrue(GantryChart.renderFailure(values("plugins.path", "/opt/gantry/plugins",
                "plugins.scheduler", "fast serve")).contains("/plugins/scheduler"));
    }

    @Test
    void thirdPartyPluginJarsAreMountedReadOnlyAtThePluginPath() {
        Manifests m = GantryChart.render(values("plugins.path", "/opt/gantry/plugins",
                "plugins.volume.persistentVolumeClaim.claimName", "gantry-plugins"));
        JsonNode mount = mountNamed(m.container(), "plugins");
        assertEquals("/opt/gantry/plugins", mount.path("mountPath").asText());
        assertTrue(mount.path("readOnly").asBoolean());
        assertTrue(GantryChart.renderFailure(values("plugins.volume.persistentVolumeClaim.claimName", "gantry-plugins"))
                .contains("plugins.path"));
    }

    @Test
    void eachPodNamesItselfAsTheInstanceId() {
        for (String kind : List.of("Deployment", "StatefulSet")) {
            Manifests m = GantryChart.render(values("workloadKind", kind));
            assertEquals(kind, m.workload().path("kind").asText());
            JsonNode env = envNamed(m.container(), "GANTRY_INSTANCE_ID");
            assertEquals("metadata.name", env.path("valueFrom").path("fieldRef").path("fieldPath").asText());
            if (kind.equals("StatefulSet")) {
                String serviceName = m.workload().path("spec").path("serviceName").asText();
                assertTrue(m.all("Service").stream().anyMatch(s -> serviceName.equals(
                        s.path("metadata").path("name").asText()) && "None".equals(
                        s.path("spec").path("clusterIP").asText())), "the StatefulSet's headless Service");
            }
        }
        assertTrue(GantryChart.renderFailure(values("workloadKind", "DaemonSet")).contains("workloadKind"));
    }

    @Test
    void apiKeysComeFromASecretReference() {
        Manifests m = GantryChart.render(values("apiKeys.existingSecret", "gantry-keys"));
        JsonNode ref = envNamed(m.container(), "GANTRY_API_KEYS").path("valueFrom").path("secretKeyRef");
        assertEquals("gantry-keys", ref.path("name").asText());
        assertEquals("api-keys", ref.path("key").asText());
        assertNull(m.applicationProperties().getProperty("gantry.api-keys"), "keys never sit in the ConfigMap");
    }

    @Test
    void horizontalAutoscalingOnCpuOrACustomMetric() {
        JsonNode cpu = GantryChart.render(values("autoscaling.enabled", "true"))
                .one("HorizontalPodAutoscaler").path("spec");
        assertEquals("cpu", cpu.path("metrics").get(0).path("resource").path("name").asText());
        JsonNode custom = GantryChart.render(values("autoscaling.enabled", "true",
                        "autoscaling.targetCPUUtilizationPercentage", "null",
                        "autoscaling.customMetric.name", "gantry_num_requests_waiting",
                        "autoscaling.customMetric.targetAverageValue", "4"))
                .one("HorizontalPodAutoscaler").path("spec").path("metrics");
        assertEquals(1, custom.size());
        assertEquals("gantry_num_requests_waiting", custom.get(0).path("pods").path("metric").path("name").asText());
        assertTrue(GantryChart.renderFailure(values("autoscaling.enabled", "true", "keda.enabled", "true",
                "kafka.bootstrapServers", "broker:9092")).contains("exclusive"));
        assertTrue(GantryChart.renderFailure(values("keda.enabled", "true")).contains("kafka.bootstrapServers"));
    }

    @Test
    void modelDownloadedByAnInitContainerOntoAPersistentVolume() {
        Manifests m = GantryChart.render(values(
                "model.download.enabled", "true",
                "model.download.url", "https://models.example/llama/tinyllama.Q8_0.gguf?download=true",
                "model.persistence.enabled", "true",
                "model.name", "tinyllama"));
        Properties p = m.applicationProperties();
        assertEquals("/models/tinyllama.Q8_0.gguf", p.getProperty("gantry.model.path"));
        assertEquals("tinyllama", p.getProperty("gantry.model.name"));
        JsonNode init = m.podSpec().path("initContainers").get(0);
        assertEquals("/models/tinyllama.Q8_0.gguf", envNamed(init, "MODEL_FILE").path("value").asText());
        assertEquals("/models", mountNamed(init, "model").path("mountPath").asText());
        assertTrue(mountNamed(m.container(), "model").path("readOnly").asBoolean());
        String claim = m.one("PersistentVolumeClaim").path("metadata").path("name").asText();
        boolean mounted = false;
        for (JsonNode v : m.podSpec().path("volumes")) {
            mounted |= claim.equals(v.path("persistentVolumeClaim").path("claimName").asText());
        }
        assertTrue(mounted, "the pod mounts the model claim " + claim);
        assertTrue(GantryChart.renderFailure(values("model.download.enabled", "true")).contains("model.download.url"));
        assertTrue(GantryChart.renderFailure(values("model.file", "tinyllama.gguf")).contains("model.persistence"),
                "a model file needs a volume to be on");
        Properties existing = GantryChart.render(values("model.file", "tinyllama.gguf",
                "model.persistence.enabled", "true", "model.persistence.existingClaim", "models")).applicationProperties();
        assertEquals("/models/tinyllama.gguf", existing.getProperty("gantry.model.path"));
    }

    @Test
    void installNotesSayHowToReachTheServiceAndWhatItServes() {
        HelmBinary.Result result = GantryChart.helm("install", "gantry", Map.of(), "--dry-run=client");
        assertEquals(0, result.exitCode(), result.output());
        String notes = result.output().substring(result.output().indexOf("NOTES:"));
        assertTrue(notes.contains("kubectl -n default rollout status deployment/gantry"), notes);
        assertTrue(notes.contains("port-forward svc/gantry 8000:8000"), notes);
        assertTrue(notes.contains("\"model\": \"gantry-demo\""), notes);
        assertTrue(notes.contains("gantry.kafka.mode=disabled"), notes);
    }

    private static void assertProbe(JsonNode container, String probe, String path) {
        JsonNode get = container.path(probe).path("httpGet");
        assertEquals(path, get.path("path").asText(), probe);
        assertEquals("http", get.path("port").asText(), probe);
    }

    private static JsonNode mountNamed(JsonNode container, String volume) {
        for (JsonNode mount : container.path("volumeMounts")) {
            if (volume.equals(mount.path("name").asText())) {
                return mount;
            }
        }
        throw new AssertionError(container.path("name").asText() + " does not mount volume " + volume);
    }

    private static JsonNode envNamed(JsonNode container, String name) {
        for (JsonNode env : container.path("env")) {
            if (name.equals(env.path("name").asText())) {
                return env;
            }
        }
        throw new AssertionError(container.path("name").asText() + " has no environment variable " + name);
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
