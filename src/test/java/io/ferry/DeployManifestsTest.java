package io.ferry;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.ferry.cli.ValidateCommandTest;
import io.ferry.observe.ManagementServer;
import io.ferry.observe.Observability;
import io.ferry.support.FerryHarness;
import io.ferry.support.FerryHarness.Db;

/**
 * deploy/: the Kubernetes manifests against the Kubernetes API's schemas and the compose file against the Compose
 * Specification's (deploy/validate, Node packages that scripts/test.sh installs), and what the schemas cannot know:
 * that the manifests name every route file, that selectors find the pods, that the probes ask paths Ferry answers,
 * that every setting is one Ferry reads and every credential sits in the Secret, empty.
 */
class DeployManifestsTest {

    private static final Path KUBERNETES = Path.of("deploy/kubernetes");
    private static final Path COMPOSE = Path.of("deploy/compose/docker-compose.yaml");
    private static final Path VALIDATE = Path.of("deploy/validate/validate.mjs");
    private static final ObjectMapper JSON = new ObjectMapper();

    private record Node(int rc, String out) {
    }

    private static Node node(String... args) throws Exception {
        assertThat(Path.of("deploy/validate/node_modules")).as("deploy/validate's packages (scripts/test.sh runs npm ci there)")
                .isDirectory();
        List<String> cmd = new ArrayList<>(List.of("node", VALIDATE.toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Node(p.exitValue(), out);
    }

    private static List<Path> manifests() throws IOException {
        try (Stream<Path> files = Files.list(KUBERNETES)) {
            return files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
        }
    }

    /** The documents of a YAML file, merge keys applied, as Node's yaml package reads them. */
    private static JsonNode documents(Path... files) throws Exception {
        String[] args = new String[files.length + 1];
        args[0] = "json";
        for (int i = 0; i < files.length; i++) {
            args[i + 1] = files[i].toString();
        }
        Node r = node(args);
        assertThat(r.rc()).as(r.out()).isZero();
        return JSON.readTree(r.out());
    }

    private static JsonNode kind(String kind) throws Exception {
        for (JsonNode d : documents(manifests().toArray(Path[]::new))) {
            if (kind.equals(d.path("kind").asText())) {
                return d;
            }
        }
        throw new AssertionError("no " + kind + " in " + KUBERNETES);
    }

    @Test
    void theKubernetesManifestsMeetTheKubernetesApiSchemas() throws Exception {
        List<String> args = new ArrayList<>(List.of("kubernetes"));
        manifests().forEach(m -> args.add(m.toString()));
        Node r = node(args.toArray(String[]::new));
        assertThat(r.out()).contains("9 objects valid, 0 problems");
        assertThat(r.rc()).isZero();
    }

    @Test
    void theSchemaCheckRefusesAManifestThatBreaksIt(@TempDir Path dir) throws Exception {
        Path broken = dir.resolve("deployment.yaml");
        Files.writeString(broken, Files.readString(KUBERNETES.resolve("deployment.yaml"))
                .replace("replicas: 3", "replicas: three").replace("containerPort: 9876", "containerPort: \"9876\""));
        Node r = node("kubernetes", broken.toString());
        assertThat(r.out()).contains("spec/replicas must be integer").contains("containerPort must be integer");
        assertThat(r.rc()).isEqualTo(1);
    }

    @Test
    void theComposeFileMeetsTheComposeSpecificationAndAnUnknownKeyIsRefused(@TempDir Path dir) throws Exception {
        Node ok = node("compose", COMPOSE.toString());
        assertThat(ok.out()).contains("1 files valid, 0 problems");
        assertThat(ok.rc()).isZero();
        Path broken = dir.resolve("docker-compose.yaml");
        Files.writeString(broken, Files.readString(COMPOSE).replace("stop_grace_period: 30s", "stop_grace_period: 30s\n  grace: 30s"));
        Node bad = node("compose", broken.toString());
        assertThat(bad.out()).contains("/services/ferry-1 must NOT have additional properties: grace");
        assertThat(bad.rc()).isEqualTo(1);
    }

    /** The kustomization applies every manifest here and makes its ConfigMaps from every file of routes/. */
    @Test
    void theKustomizationNamesEveryManifestAndEveryRouteFile() throws Exception {
        JsonNode k = documents(KUBERNETES.resolve("kustomization.yaml")).get(0);
        Set<String> resources = new TreeSet<>();
        k.path("resources").forEach(r -> resources.add(r.asText()));
        Set<String> here = new TreeSet<>();
        manifests().forEach(m -> here.add(m.getFileName().toString()));
        here.remove("kustomization.yaml");
        assertThat(resources).isEqualTo(here);

        Map<String, Path> generated = Map.of("ferry-routes", Path.of("routes"), "ferry-mappings", Path.of("routes/mappings"));
        for (JsonNode g : k.path("configMapGenerator")) {
            if (g.path("name").asText().equals("ferry-cluster")) {
                assertThat(g.path("files").get(0).asText()).isEqualTo("cluster.properties");
                continue;
            }
            Path dir = generated.get(g.path("name").asText());
            assertThat(dir).as("a ConfigMap of a routes directory: " + g.path("name")).isNotNull();
            Set<String> listed = new TreeSet<>();
            g.path("files").forEach(f -> listed.add(KUBERNETES.resolve(f.asText()).normalize().toString()));
            Set<String> files = new TreeSet<>();
            try (Stream<Path> s = Files.list(dir)) {
                s.filter(Files::isRegularFile).forEach(f -> files.add(f.normalize().toString()));
            }
            assertThat(listed).as(g.path("name").asText()).isEqualTo(files);
        }
        JsonNode volumes = kind("Deployment").at("/spec/template/spec/volumes");
        Set<String> mounted = new HashSet<>();
        volumes.forEach(v -> mounted.add(v.at("/configMap/name").asText()));
        assertThat(mounted).contains("ferry-routes", "ferry-mappings", "ferry-cluster");
    }

    /**
     * Both deployments add their cluster service from a file of their own (FERRY_CONFIG_EXTRA) that is mounted where
     * the variable says; what the file declares is started by ClusteredSchedulesTest and KubernetesLeasesTest.
     */
    @Test
    void theReplicasReadTheirClusterServiceFromTheFileMountedForThem() throws Exception {
        JsonNode container = kind("Deployment").at("/spec/template/spec/containers/0");
        String extra = null;
        for (JsonNode e : container.path("env")) {
            if (e.path("name").asText().equals("FERRY_CONFIG_EXTRA")) {
                extra = e.path("value").asText();
            }
        }
        assertThat(extra).isEqualTo("/app/config/cluster.properties,/app/users/users.properties");
        Map<String, String> mounts = new java.util.HashMap<>();
        container.path("volumeMounts").forEach(m -> mounts.put(m.path("name").asText(), m.path("mountPath").asText()));
        assertThat(extra.split(",")[0]).as("the ferry-cluster ConfigMap is mounted where FERRY_CONFIG_EXTRA points")
                .startsWith(mounts.get("cluster") + "/");
        assertThat(extra.split(",")[1]).as("the ferry-users Secret is mounted where FERRY_CONFIG_EXTRA points")
                .startsWith(mounts.get("users") + "/");
        assertThat(Files.readString(KUBERNETES.resolve("cluster.properties"))).contains("KubernetesClusterService");

        JsonNode ferry1 = documents(COMPOSE).get(0).at("/services/ferry-1");
        String composeExtra = ferry1.at("/environment/FERRY_CONFIG_EXTRA").asText();
        assertThat(ferry1.path("volumes").toString()).contains("./cluster.properties:" + composeExtra + ":ro");
        assertThat(Files.readString(COMPOSE.resolveSibling("cluster.properties"))).contains("ZooKeeperClusterService");
        assertThat(ferry1.at("/environment/FERRY_ZOOKEEPER_NODES").asText()).isEqualTo("zookeeper:2181");
    }

    @Test
    void theSelectorsFindThePodsAndTheDisruptionBudgetKeepsAMajority() throws Exception {
        JsonNode deployment = kind("Deployment");
        JsonNode labels = deployment.at("/spec/template/metadata/labels");
        assertThat(contains(labels, deployment.at("/spec/selector/matchLabels"))).isTrue();
        assertThat(contains(labels, kind("Service").at("/spec/selector"))).isTrue();
        JsonNode pdb = kind("PodDisruptionBudget");
        assertThat(contains(labels, pdb.at("/spec/selector/matchLabels"))).isTrue();
        int replicas = deployment.at("/spec/replicas").asInt();
        assertThat(replicas).isGreaterThanOrEqualTo(3);
        assertThat(pdb.at("/spec/maxUnavailable").asInt()).isLessThan((replicas + 1) / 2);
        JsonNode binding = kind("RoleBinding");
        assertThat(binding.at("/subjects/0/name").asText()).isEqualTo(deployment.at("/spec/template/spec/serviceAccountName").asText());
        assertThat(binding.at("/roleRef/name").asText()).isEqualTo(kind("Role").at("/metadata/name").asText());
        assertThat(kind("Role").toString()).contains("coordination.k8s.io").contains("leases");
    }

    private static boolean contains(JsonNode labels, JsonNode selector) {
        assertThat(selector.size()).isPositive();
        for (var it = selector.fields(); it.hasNext();) {
            var e = it.next();
            if (!e.getValue().equals(labels.get(e.getKey()))) {
                return false;
            }
        }
        return true;
    }

    /** The probes and the Service ask paths and the port the management server answers on a running Ferry. */
    @Test
    void theProbesAskPathsARunningFerryAnswers() throws Exception {
        JsonNode container = kind("Deployment").at("/spec/template/spec/containers/0");
        assertThat(container.at("/ports/0/containerPort").asInt()).isEqualTo(9876);
        assertThat(container.at("/ports/0/name").asText()).isEqualTo(kind("Service").at("/spec/ports/0/targetPort").asText());
        try (FerryHarness f = new FerryHarness(Db.H2, 10).start()) {
            int port = f.app().camel().getRegistry().lookupByNameAndType(Observability.MANAGEMENT_BEAN, ManagementServer.class).port();
            HttpClient http = HttpClient.newHttpClient();
            for (String probe : List.of("livenessProbe", "readinessProbe", "startupProbe")) {
                String path = container.at("/" + probe + "/httpGet/path").asText();
                assertThat(container.at("/" + probe + "/httpGet/port").asText()).isEqualTo("management");
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).as(probe + " " + path + ": " + r.body()).isEqualTo(200);
            }
        }
    }

    private static final Pattern ENV = Pattern.compile("\\{\\{env:([A-Z0-9_]+)");
    private static final Pattern CREDENTIAL = Pattern.compile("(?m)^([a-z0-9.-]*(?:password|secret|token))\\s*=\\s*\\{\\{env:([A-Z0-9_]+)");

    /**
     * Every variable the manifests and the compose file set is one application.properties reads (a misspelt one would
     * be ignored without a word); every credential is in the Secret with no value, none in a ConfigMap; and the
     * ConfigMap and Secret together hold every setting the shipped syncs need.
     */
    @Test
    void everySettingIsOneFerryReadsAndEveryCredentialIsInTheSecretEmpty() throws Exception {
        String properties = Files.readString(Path.of("application.properties"));
        Set<String> read = new HashSet<>();
        // application.properties, the deployments' cluster service files, and what Ferry's code reads itself
        String clusterFiles = Files.readString(KUBERNETES.resolve("cluster.properties")) + Files.readString(COMPOSE.resolveSibling("cluster.properties"));
        for (Matcher m = ENV.matcher(properties + clusterFiles); m.find();) {
            read.add(m.group(1));
        }
        read.addAll(List.of("FERRY_CONFIG", "FERRY_CONFIG_EXTRA", "FERRY_LOG_FILE"));
        Set<String> credentials = new TreeSet<>();
        for (Matcher m = CREDENTIAL.matcher(properties); m.find();) {
            credentials.add(m.group(2));
        }
        assertThat(credentials).contains("FERRY_STATE_PASSWORD", "FERRY_JUSHUITAN_APP_SECRET", "FERRY_KINGDEE_APP_SECRET");
        // the plain management password of older versions: Ferry refuses to start with it, so nothing deploys it
        assertThat(credentials.remove("FERRY_MANAGEMENT_PASSWORD")).isTrue();

        Set<String> settings = names(kind("ConfigMap").path("data"));
        JsonNode secretData = kind("Secret").path("stringData");
        Set<String> secret = names(secretData);
        secretData.forEach(v -> assertThat(v.asText()).as("a credential shipped with a value").isEmpty());
        Set<String> deployment = new TreeSet<>();
        kind("Deployment").at("/spec/template/spec/containers/0/env").forEach(e -> deployment.add(e.path("name").asText()));
        Set<String> compose = new TreeSet<>();
        JsonNode services = documents(COMPOSE).get(0).path("services");
        for (String s : List.of("ferry-1", "ferry-2", "ferry-3")) {
            compose.addAll(names(services.path(s).path("environment")));
        }
        Set<String> example = new TreeSet<>();
        for (String line : Files.readAllLines(Path.of("deploy/compose/ferry.env.example"))) {
            if (!line.isBlank() && !line.startsWith("#")) {
                example.add(line.substring(0, line.indexOf('=')));
            }
        }
        for (Set<String> names : List.of(settings, secret, deployment, compose, example)) {
            Set<String> unknown = new TreeSet<>(names);
            unknown.removeAll(read);
            unknown.remove("TZ");
            assertThat(unknown).as("set but read nowhere in application.properties").isEmpty();
        }
        assertThat(secret).containsAll(credentials).doesNotContain("FERRY_MANAGEMENT_PASSWORD");
        assertThat(settings).doesNotContainAnyElementsOf(credentials);
        Set<String> deployed = new HashSet<>(settings);
        deployed.addAll(secret);
        assertThat(deployed).containsAll(ValidateCommandTest.CONFIGURED.keySet());
        Set<String> composed = new HashSet<>(compose);
        composed.addAll(example);
        assertThat(composed).containsAll(ValidateCommandTest.CONFIGURED.keySet());
        // compose asks for its database passwords rather than shipping one
        JsonNode ferry1 = services.path("ferry-1").path("environment");
        assertThat(ferry1.path("FERRY_STATE_PASSWORD").asText()).startsWith("${FERRY_DB_PASSWORD:?");
    }

    private static Set<String> names(JsonNode object) {
        Set<String> names = new TreeSet<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }

    /** Three replicas under their own names on one state database, started once it and ZooKeeper answer. */
    @Test
    void theComposeReplicasShareOneStateDatabaseUnderTheirOwnNames() throws Exception {
        JsonNode services = documents(COMPOSE).get(0).path("services");
        Set<String> nodes = new HashSet<>();
        Set<String> urls = new HashSet<>();
        Set<String> ports = new HashSet<>();
        for (String s : List.of("ferry-1", "ferry-2", "ferry-3")) {
            JsonNode service = services.path(s);
            nodes.add(service.at("/environment/FERRY_NODE").asText());
            urls.add(service.at("/environment/FERRY_STATE_URL").asText());
            ports.add(service.at("/ports/0").asText().split(":")[0]);
            assertThat(service.at("/depends_on/mariadb/condition").asText()).isEqualTo("service_healthy");
            assertThat(service.at("/depends_on/zookeeper/condition").asText()).isEqualTo("service_healthy");
            assertThat(service.path("stop_grace_period").asText()).isEqualTo("30s");
        }
        assertThat(nodes).hasSize(3);
        assertThat(ports).hasSize(3);
        assertThat(urls).containsExactly("jdbc:mysql://mariadb:3306/ferry");
        String init = Files.readString(COMPOSE.resolveSibling("mariadb-init.sql"));
        assertThat(init).contains("CREATE DATABASE IF NOT EXISTS ferry").contains("CREATE DATABASE IF NOT EXISTS bi");
    }

    /** The pod runs as the image's numeric user and gives a run longer to end than Ferry's shutdown timeout. */
    @Test
    void thePodRunsAsTheImagesUserAndOutlastsTheShutdownTimeout() throws Exception {
        String dockerfile = Files.readString(Path.of("Dockerfile"));
        Matcher user = Pattern.compile("(?m)^USER (\\d+):(\\d+)$").matcher(dockerfile);
        assertThat(user.find()).as("the Dockerfile's USER is numeric").isTrue();
        JsonNode pod = kind("Deployment").at("/spec/template/spec");
        assertThat(pod.at("/securityContext/runAsUser").asText()).isEqualTo(user.group(1));
        assertThat(pod.at("/securityContext/runAsNonRoot").asBoolean()).isTrue();
        Matcher timeout = Pattern.compile("camel.main.shutdown-timeout = \\{\\{env:FERRY_SHUTDOWN_TIMEOUT:(\\d+)}}")
                .matcher(Files.readString(Path.of("application.properties")));
        assertThat(timeout.find()).isTrue();
        assertThat(pod.path("terminationGracePeriodSeconds").asInt()).isGreaterThan(Integer.parseInt(timeout.group(1)));
    }
}
