package io.throughline.devstack;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Keycloak from the keycloak-quarkus-dist zip on the Maven repository (copied to devstack/target/dist by the
 * build), unzipped once into the stack's data directory and started in dev mode with the committed realm.
 */
final class KeycloakServer {

    private KeycloakServer() {
    }

    static ManagedProcess start(StackSettings settings) throws IOException {
        Path home = settings.dataDir().resolve("keycloak-" + StackSettings.KEYCLOAK_VERSION);
        if (!Files.exists(home.resolve("bin/kc.sh"))) {
            unzip(distribution(settings), home);
        }
        Path imports = Files.createDirectories(home.resolve("data/import"));
        byte[] realm;
        try (InputStream in = KeycloakServer.class.getResourceAsStream("/keycloak/throughline-realm.json")) {
            realm = in.readAllBytes();
        }
        // The dashboard signs in through the public client, which may only return to the gateway it was opened on: a
        // stack on other ports (the end-to-end suite's) adds its gateway to the client's redirect URIs and web origins.
        String gateway = settings.gatewayUrl().replaceAll("/+$", "");
        if (!gateway.equals("http://localhost:8080")) {
            realm = new String(realm, java.nio.charset.StandardCharsets.UTF_8)
                    .replace("\"http://localhost:8080/*\",", "\"http://localhost:8080/*\", \"" + gateway + "/*\",")
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        }
        // --import-realm skips a realm that exists: when the committed realm changed since this data directory imported
        // it (a new client, mapper or role), Keycloak's dev database is dropped so the realm is imported afresh. It holds
        // nothing but the realm and its sessions on a local stack.
        Path imported = imports.resolve("throughline-realm.json");
        if (Files.exists(imported) && !java.util.Arrays.equals(Files.readAllBytes(imported), realm)) {
            DataFiles.deleteTree(home.resolve("data/h2"));
        }
        Files.write(imported, realm);
        List<String> command = List.of(home.resolve("bin/kc.sh").toString(), "start-dev",
                "--http-port=" + settings.keycloakPort(), "--http-management-port=" + settings.keycloakManagementPort(),
                "--import-realm", "--health-enabled=true");
        Map<String, String> env = Map.of(
                "JAVA_HOME", System.getProperty("java.home"),
                "KC_BOOTSTRAP_ADMIN_USERNAME", "admin",
                "KC_BOOTSTRAP_ADMIN_PASSWORD", StackSettings.value("throughline.keycloak.admin-password", "admin"),
                "JAVA_OPTS_KC_HEAP", "-Xms64m -Xmx768m");
        return ManagedProcess.start(command, env, home, settings.dataDir().resolve("logs/keycloak.log"));
    }

    private static Path distribution(StackSettings settings) {
        Path zip = settings.root().resolve("devstack/target/dist/keycloak-quarkus-dist-" + StackSettings.KEYCLOAK_VERSION + ".zip");
        if (!Files.exists(zip)) {
            throw new IllegalStateException("Keycloak distribution missing at " + zip + ": build first (./mvnw -DskipTests install)");
        }
        return zip;
    }

    private static void unzip(Path zip, Path home) throws IOException {
        Path staging = Files.createTempDirectory(home.getParent() == null ? Path.of(".") : Files.createDirectories(home.getParent()), "kc-");
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
            for (ZipEntry entry; (entry = in.getNextEntry()) != null;) {
                // The zip holds one top folder (keycloak-26.4.5/); its content becomes the home.
                String name = entry.getName().substring(entry.getName().indexOf('/') + 1);
                Path target = staging.resolve(name).normalize();
                if (!target.startsWith(staging) || name.isEmpty()) {
                    continue;
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(target);
                } else {
                    Files.createDirectories(target.getParent());
                    Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
                    if (name.endsWith(".sh")) {
                        Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rwxr-xr-x"));
                    }
                }
            }
        }
        Files.move(staging, home, StandardCopyOption.ATOMIC_MOVE);
    }
}
