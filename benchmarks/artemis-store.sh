#!/usr/bin/env bash
# Durable enqueue into the Artemis queue store (bundles/mailslot-queue-artemis) against a real Artemis
# 2.40.0 broker on 127.0.0.40:61616 that the benchmark starts and stops: 1 KB and 100 KB messages at 8
# and 32 concurrent writers; the rate, and processor time per message of the node's JVM and of the
# broker's. Prints markdown. Needs the modules and the Artemis distribution in the local Maven repository
# (mvn -o install -DskipTests; the tar.gz is resolved by itests/mailslot-test-peers).
#
# Usage: benchmarks/artemis-store.sh [--sessions 8,32] [--sizes 1024,102400] [--count 2000]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=${MAVEN_REPO_LOCAL:-$HOME/.m2/repository}
. "$here/jar.sh"
benchmarks_jar "$here"
java -Xms256m -Xmx1g -Dmaven.repo.local="$repo" ${JAVA_OPTS:-} \
    -cp "$here/target/mailslot-benchmarks.jar:$here/target/lib/*" \
    org.mailslot.benchmarks.ArtemisStoreBenchmark "$@"
