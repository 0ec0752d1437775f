package io.throughline.e2e;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.restassured.path.json.JsonPath;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The images the build pushed (the {@code images} profile, on when THROUGHLINE_IMAGE_REGISTRY is set, as .ci/run
 * does with a local registry): one per service and the gateway, non-root, the heap a share of the container's memory,
 * the CycloneDX SBOM inside; and the gateway's image, unpacked, really starts as user 185 in a 512 MiB memory cgroup,
 * answers its liveness probe, and sizes its heap from that limit.
 */
class ContainerImagesTest {

    private static final List<String> MODULES = List.of("gateway", "tracking-service", "calltracking-service",
            "identity-service", "attribution-service", "reporting-service");
    private static final String MANIFEST_TYPES = "application/vnd.oci.image.manifest.v1+json,"
            + "application/vnd.docker.distribution.manifest.v2+json";
    private static final long CONTAINER_MEMORY = 512L * 1024 * 1024;

    private static String registry;
    private static String tag;

    @BeforeAll
    static void imagesWereBuilt() {
        registry = System.getenv("THROUGHLINE_IMAGE_REGISTRY");
        tag = System.getProperty("throughline.image.tag", "0.1.0");
        if (registry == null || registry.isBlank()) {
            if ("true".equals(System.getenv("CI"))) {
                throw new AssertionError("CI builds the images: .ci/run sets THROUGHLINE_IMAGE_REGISTRY to its local registry");
            }
            Assumptions.abort("THROUGHLINE_IMAGE_REGISTRY is not set, so the build pushed no images (see README: images)");
        }
    }

    @Test
    void everyServiceHasANonRootImageWhoseHeapFollowsTheContainerMemory() {
        for (String module : MODULES) {
            JsonPath config = config(module);
            assertEquals("185", config.getString("config.User"), module + " runs as the non-root user 185");
            assertEquals("/home/jboss", config.getString("config.WorkingDir"), module);
            List<String> entrypoint = config.getList("config.Entrypoint", String.class);
            String env = String.join(" ", config.getList("config.Env", String.class));
            String jvm = entrypoint.contains("-jar") ? String.join(" ", entrypoint) : env;
            assertTrue(jvm.contains("-XX:MaxRAMPercentage=75"), module + ": heap sized from the container: " + jvm);
            assertTrue(jvm.contains("-XX:+ExitOnOutOfMemoryError"), module + ": " + jvm);
            Map<String, Object> ports = config.getMap("config.ExposedPorts");
            assertTrue(ports.containsKey("8080/tcp"), module + " exposes HTTP: " + ports);
            assertTrue(manifest(module).getList("layers").size() >= 5, module + ": base, libraries, quarkus, app layers");
        }
    }

    @Test
    void everyImageCarriesTheSbomOfItsDependencies(@TempDir Path dir) throws Exception {
        for (String module : MODULES) {
            Path root = Files.createDirectories(dir.resolve(module));
            List<String> layers = manifest(module).getList("layers.digest", String.class);
            // The application's own jar is in one of the last layers; the first is the base image.
            for (String digest : layers.subList(1, layers.size())) {
                extract(module, digest, root);
            }
            Path app = root.resolve("home/jboss/app");
            Path jar;
            try (var files = Files.list(app)) {
                jar = files.filter(p -> p.getFileName().toString().startsWith(module)).findFirst().orElseThrow();
            }
            try (ZipFile zip = new ZipFile(jar.toFile())) {
                var entry = zip.getEntry("META-INF/sbom/bom.json");
                assertTrue(entry != null, module + ": META-INF/sbom/bom.json in " + jar.getFileName());
                try (InputStream in = zip.getInputStream(entry)) {
                    JsonPath bom = JsonPath.from(new String(in.readAllBytes(), StandardCharsets.UTF_8));
                    assertEquals("CycloneDX", bom.getString("bomFormat"), module);
                    assertEquals(module, bom.getString("metadata.component.name"));
                    List<String> names = bom.getList("components.name", String.class);
                    assertTrue(names.contains("quarkus-core"), module + " lists its runtime libraries: " + names.size());
                    assertTrue(names.size() > 50, module + ": " + names.size() + " components");
                }
            }
        }
    }

    @Test
    void theGatewayImageStartsAsItsUserAndSizesItsHeapFromA512MiBLimit(@TempDir Path dir) throws Exception {
        boolean root = "0".equals(new String(new ProcessBuilder("id", "-u").start().getInputStream().readAllBytes()).trim());
        Path cgroupParent = Path.of("/sys/fs/cgroup/memory");
        boolean v1 = Files.isRegularFile(cgroupParent.resolve("memory.limit_in_bytes"));
        boolean v2 = Files.isRegularFile(Path.of("/sys/fs/cgroup/cgroup.controllers"));
        if (!root || !(v1 || v2)) {
            Assumptions.assumeFalse(!"true".equals(System.getenv("CI")), "needs root and a memory cgroup to run the image");
            throw new AssertionError("CI runs as root with a memory cgroup; found root=" + root + " cgroup v1=" + v1 + " v2=" + v2);
        }
        Path rootfs = Files.createDirectories(dir.resolve("rootfs"));
        // The image's / as an image has it (a test directory is private to its owner).
        Files.setPosixFilePermissions(rootfs, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        for (String digest : manifest("gateway").getList("layers.digest", String.class)) {
            extract("gateway", digest, rootfs);
        }
        JsonPath config = config("gateway");
        Path cgroup = v1 ? cgroupParent.resolve("throughline-image-" + ProcessHandle.current().pid())
                : Path.of("/sys/fs/cgroup/throughline-image-" + ProcessHandle.current().pid());
        Files.createDirectories(cgroup);
        Files.writeString(cgroup.resolve(v1 ? "memory.limit_in_bytes" : "memory.max"), Long.toString(CONTAINER_MEMORY));
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        // What a container runtime does, by hand: the process joins the cgroup, gets its own mount and PID namespaces
        // with /proc and /sys, changes root to the image, moves to its working directory and drops to its user.
        List<String> command = new ArrayList<>(List.of("/bin/sh", "-c",
                "echo $$ > \"$CG/cgroup.procs\" && exec /usr/bin/unshare --mount --pid --fork /bin/sh -c '"
                        + "mount -t proc proc \"$R/proc\" && mkdir -p \"$R/sys\" && mount --rbind /sys \"$R/sys\" && "
                        + "exec /usr/bin/unshare --root=\"$R\" --wd=\"$WD\" --setuid 185 --setgid 185 \"$@\"' image \"$@\"", "runtime"));
        command.addAll(config.getList("config.Entrypoint", String.class));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("gateway.log").toFile());
        builder.environment().clear();
        for (String pair : config.getList("config.Env", String.class)) {
            builder.environment().put(pair.substring(0, pair.indexOf('=')), pair.substring(pair.indexOf('=') + 1));
        }
        builder.environment().putAll(Map.of("CG", cgroup.toString(), "R", rootfs.toString(),
                "WD", config.getString("config.WorkingDir"), "JAVA_TOOL_OPTIONS", "-XX:+PrintFlagsFinal",
                "QUARKUS_HTTP_PORT", Integer.toString(port), "QUARKUS_OIDC_CONNECTION_DELAY", "0S",
                "THROUGHLINE_OIDC_URL", "http://127.0.0.1:1/realms/throughline"));
        Process process = builder.start();
        try {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            Eventually.waitFor(() -> {
                assertTrue(process.isAlive(), () -> "the gateway exited: " + log(dir));
                try {
                    HttpResponse<String> live = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                            + "/q/health/live")).timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
                    return live.statusCode() == 200 ? live : null;
                } catch (IOException e) {
                    return null;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError(e);
                }
            }, "the gateway's image answers /q/health/live");
            String log = log(dir);
            Matcher heap = Pattern.compile("size_t MaxHeapSize\\s+= (\\d+)").matcher(log);
            assertTrue(heap.find(), log);
            assertEquals(CONTAINER_MEMORY * 3 / 4, Long.parseLong(heap.group(1)), "75 % of the 512 MiB limit");
            boolean sawJavaAs185 = false;
            for (String pid : Files.readAllLines(cgroup.resolve("cgroup.procs"))) {
                Path status185 = Path.of("/proc", pid.trim(), "status");
                if (Files.exists(status185)) {
                    String s = Files.readString(status185);
                    if (s.contains("Name:\tjava")) {
                        assertTrue(s.contains("\nUid:\t185\t185\t185\t185"), s);
                        sawJavaAs185 = true;
                    }
                }
            }
            assertTrue(sawJavaAs185, "the JVM runs in the cgroup as uid 185");
        } finally {
            for (String pid : Files.readAllLines(cgroup.resolve("cgroup.procs"))) {
                ProcessHandle.of(Long.parseLong(pid.trim())).ifPresent(ProcessHandle::destroyForcibly);
            }
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            Eventually.waitFor(() -> {
                try {
                    return Files.readAllLines(cgroup.resolve("cgroup.procs")).isEmpty() ? Boolean.TRUE : null;
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }, "the image's processes end");
            Files.delete(cgroup);
        }
    }

    private static String log(Path dir) {
        try {
            return Files.readString(dir.resolve("gateway.log"));
        } catch (IOException e) {
            return e.toString();
        }
    }

    private static JsonPath manifest(String module) {
        return JsonPath.from(given().header("Accept", MANIFEST_TYPES)
                .get("http://" + registry + "/v2/throughline/" + module + "/manifests/" + tag)
                .then().statusCode(200).extract().asString());
    }

    private static JsonPath config(String module) {
        String digest = manifest(module).getString("config.digest");
        return JsonPath.from(given().get("http://" + registry + "/v2/throughline/" + module + "/blobs/" + digest)
                .then().statusCode(200).extract().asString());
    }

    private static void extract(String module, String digest, Path into) throws Exception {
        Path layer = Files.createTempFile("layer", ".tar.gz");
        try {
            try (InputStream in = given().get("http://" + registry + "/v2/throughline/" + module + "/blobs/" + digest)
                    .then().statusCode(200).extract().asInputStream()) {
                Files.copy(in, layer, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
            Process tar = new ProcessBuilder("tar", "--warning=no-unknown-keyword", "-xzf", layer.toString(), "-C", into.toString())
                    .redirectErrorStream(true).start();
            String out = new String(tar.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(tar.waitFor(60, TimeUnit.SECONDS));
            assertEquals(0, tar.exitValue(), out);
        } finally {
            Files.deleteIfExists(layer);
        }
    }
}
