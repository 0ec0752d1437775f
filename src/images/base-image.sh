#!/usr/bin/env bash
# Assembles a minimal Java runtime base image as a `docker save` tarball from this machine's JDK, for building
# the service images where no container registry can be reached (CI here): a jlink'ed runtime in /opt/java,
# the C libraries it links against, a non-root user 185 (the UBI OpenJDK images' `jboss`) and /tmp.
# Releases use the default base image instead (registry.access.redhat.com/ubi9/openjdk-21-runtime), which gets
# security updates; this one is for proving the image build, not for shipping.
# Usage: src/images/base-image.sh OUTPUT.tar   (then -Dquarkus.jib.base-jvm-image=tar://OUTPUT.tar)
set -euo pipefail
out=$(readlink -f "${1:?usage: base-image.sh OUTPUT.tar}")
: "${JAVA_HOME:?JAVA_HOME must name a JDK 21+ (source .ci/java-env.sh)}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
root=$work/rootfs
mkdir -p "$root"/{etc,tmp,proc,sys,home/jboss,lib64}

"$JAVA_HOME/bin/jlink" --add-modules java.se,jdk.unsupported,jdk.crypto.ec,jdk.management,jdk.naming.dns,jdk.zipfs,jdk.net,jdk.localedata,jdk.charsets \
  --strip-debug --no-man-pages --no-header-files --output "$root/opt/java"

# The shared libraries the runtime needs (libc, libm, the loader ...), at the paths the loader looks in.
find "$root/opt/java" -name '*.so' -o -path '*/bin/*' -type f | xargs ldd 2>/dev/null \
  | awk '$2 == "=>" && $3 ~ /^\// {print $3} $1 ~ /^\/lib.*ld-linux/ {print $1}' | grep -v "^$root" | sort -u \
  | while read -r lib; do cp --parents -L "$lib" "$root"; done

cat > "$root/etc/passwd" <<'P'
root:x:0:0:root:/root:/sbin/nologin
jboss:x:185:185:service user:/home/jboss:/sbin/nologin
P
cat > "$root/etc/group" <<'G'
root:x:0:
jboss:x:185:
G
echo 'hosts: files dns' > "$root/etc/nsswitch.conf"
chmod 1777 "$root/tmp"
if [ "$(id -u)" = 0 ]; then chown 185:185 "$root/home/jboss"; fi

tar --numeric-owner -C "$root" -cf "$work/layer.tar" .
diff_id=$(sha256sum "$work/layer.tar" | cut -d' ' -f1)
cat > "$work/config.json" <<C
{"architecture":"amd64","os":"linux",
 "config":{"Env":["PATH=/opt/java/bin:/usr/bin:/bin","JAVA_HOME=/opt/java","LANG=C.UTF-8"],"User":"185","WorkingDir":"/home/jboss"},
 "rootfs":{"type":"layers","diff_ids":["sha256:$diff_id"]},
 "history":[{"created_by":"src/images/base-image.sh (jlink of $("$JAVA_HOME/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.runtime.version = //p'))"}]}
C
echo '[{"Config":"config.json","RepoTags":["throughline/java-base:local"],"Layers":["layer.tar"]}]' > "$work/manifest.json"
tar -C "$work" -cf "$out" manifest.json config.json layer.tar
echo "base image: $out ($(du -h "$out" | cut -f1))"
