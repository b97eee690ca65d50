#!/usr/bin/env bash
# End to end, as users run a mail server, both halves at once on the same cores: smtp-source ->
# server -> smtp-sink (gateway) and smtp-source -> server -> Maildir (local), Mailslot (the built
# distribution) against Postfix (transport_maps to the same smtp-sink; virtual(8)), same load, same
# run. Prints each measurement and a markdown table. Needs root (Postfix runs privately as root),
# Debian's postfix package, the distribution built (karaf-assembly/target/mailslot-*.tar.gz, or
# MAILSLOT_ARCHIVE) and the modules in the local Maven repository (~/.m2/repository, or the one
# MAVEN_REPO_LOCAL names). Postfix listens on 127.0.0.21:20025, smtp-sink on 127.0.0.22:20022,
# Mailslot on 127.0.0.1 (a free port); all are stopped at the end.
#
# Usage: benchmarks/e2e.sh [--scenarios gateway,local] [--sessions 8,32] [--sizes 1024,102400]
#                          [--count 2000] [--warmup 4000] [--reps 1] [--targets mailslot,postfix]
#                          [--xmx 1g] [--karaf-java-opts "-XX:StartFlightRecording=..."]
#                          [--delivery "per.destination = 8"]  (a line added to org.mailslot.delivery.cfg)
#                          [--dkim rsa|ed25519|dual]  (Mailslot alone, gateway: submitted mail DKIM-signed
#                          against the same mail unsigned, interleaved; see benchmarks/README.md)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# MAILSLOT_ARCHIVE: another build of the distribution, to compare two versions side by side.
archive=${MAILSLOT_ARCHIVE:-$(ls "$here"/../karaf-assembly/target/mailslot-*.tar.gz 2>/dev/null | head -1 || true)}
if [ -z "$archive" ]; then
    echo "no distribution archive: build it first (mvn -o install -DskipTests)" >&2
    exit 1
fi
. "$here/jar.sh"
benchmarks_jar "$here"
# E2E_HOME: unpack Karaf there and keep it afterwards (its data/log/mail.log: one "(queue active)" line per
# planned attempt, one "status=sent" per delivery); without it, a temporary directory removed at the end.
if [ -n "${E2E_HOME:-}" ]; then
    home=$E2E_HOME
    rm -rf "$home" && mkdir -p "$home"
else
    home=$(mktemp -d /tmp/mailslot-e2e-home.XXXXXX)
    trap 'rm -rf "$home"' EXIT
fi
tar xzf "$archive" -C "$home" --strip-components=1
java -Xms256m -Xmx1g ${JAVA_OPTS:-} -cp "$here/target/mailslot-benchmarks.jar:$here/target/lib/*" \
    org.mailslot.benchmarks.EndToEndBenchmark --home "$home" "$@"
