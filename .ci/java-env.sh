# Sourced by .ci/run and ./throughline: use a JDK >= 21, picking the newest under /usr/lib/jvm when the
# default java is older (these machines default to 17 and carry a Temurin 25).
java_major() { "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p' | head -1 | cut -d. -f1; }
if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ] && [ "$(java_major "$JAVA_HOME/bin/java")" -ge 21 ]; then
  :
elif command -v java >/dev/null 2>&1 && [ "$(java_major java)" -ge 21 ]; then
  JAVA_HOME=$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")
else
  best=""; best_major=0
  for jdk in /usr/lib/jvm/*/; do
    [ -x "${jdk}bin/javac" ] || continue
    major=$(java_major "${jdk}bin/java")
    if [ -n "$major" ] && [ "$major" -ge 21 ] && [ "$major" -gt "$best_major" ]; then best=${jdk%/}; best_major=$major; fi
  done
  if [ -z "$best" ]; then
    echo "Throughline needs a JDK 21 or newer; none found (default java or /usr/lib/jvm/*)." >&2
    exit 1
  fi
  JAVA_HOME=$best
fi
export JAVA_HOME
export PATH="$JAVA_HOME/bin:$PATH"
