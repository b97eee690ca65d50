#!/usr/bin/env bash
# Durable SMTP ingest on loopback: Mailslot's listener (the built distribution, spool fsync before
# 250), a second Mailslot whose queue is on an Artemis 2.40.0 broker (127.0.0.40, org.mailslot.queue
# store = artemis: 250 once the broker's journal holds the message; target "artemis", with the
# broker's CPU per message) against Postfix's smtpd (its queue, fsync before 250), in the same run, at 1, 8 and 32
# sessions, with Postfix's smtp-source and with a Java harness that times the 250 reply to the end
# of data (p50, p99); then Mailslot's heap while one 30 MB message is received. Prints markdown.
# Needs root (Postfix runs privately as root), Debian's postfix package, a JDK with jstat/jcmd,
# the distribution built (karaf-assembly/target/mailslot-*.tar.gz) and the modules in ~/.m2.
# Postfix listens on 127.0.0.21:20025, Mailslot on 127.0.0.1 (a free port); both are stopped at the end.
#
# Usage: benchmarks/ingest.sh [--sessions 1,8,32] [--size 4096] [--count 2000] [--reps 3]
#                             [--heap-mb 30] [--xmx 1g]
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
home=$(mktemp -d /tmp/mailslot-ingest-home.XXXXXX)
artemis_home=$(mktemp -d /tmp/mailslot-ingest-artemis-home.XXXXXX)
trap 'rm -rf "$home" "$artemis_home"' EXIT
tar xzf "$archive" -C "$home" --strip-components=1
tar xzf "$archive" -C "$artemis_home" --strip-components=1
java -Xms256m -Xmx1g -Dmaven.repo.local="${MAVEN_REPO_LOCAL:-$HOME/.m2/repository}" ${JAVA_OPTS:-} \
    -cp "$here/target/mailslot-benchmarks.jar:$here/target/lib/*" \
    org.mailslot.benchmarks.IngestBenchmark --home "$home" --artemis-home "$artemis_home" "$@"
