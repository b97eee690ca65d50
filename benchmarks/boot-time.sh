#!/usr/bin/env bash
# Measures how long the distribution takes from `bin/start` until `mailslot:status` reports
# every Mailslot component active or satisfied. Unpacks the built archive into a temporary
# directory, lets a throw-away SSH key in, and asks over OpenSSH (a JVM-based client would add
# its own start-up to every poll). Usage: benchmarks/boot-time.sh [RUNS]   (default 5)
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
archive=$(ls "$top"/karaf-assembly/target/mailslot-*.tar.gz | head -n 1)
runs=${1:-5}
work=$(mktemp -d)
home=""
cleanup() {
    [ -n "$home" ] && "$home/bin/stop" >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT

ssh-keygen -q -t rsa -b 3072 -N '' -f "$work/key"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
status() {
    ssh -q -i "$work/key" -p "$port" -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null \
        -o ConnectTimeout=2 bench@127.0.0.1 mailslot:status </dev/null 2>/dev/null || true
}

for run in $(seq 1 "$runs"); do
    rm -rf "$work/dist" && mkdir "$work/dist"
    tar xzf "$archive" -C "$work/dist"
    home=$(echo "$work"/dist/mailslot-*)
    echo "bench=$(cut -d' ' -f2 "$work/key.pub"),admin,manager,viewer,systembundles,ssh" >> "$home/etc/keys.properties"
    sed -i "s/^sshPort *=.*/sshPort = $port/" "$home/etc/org.apache.karaf.shell.cfg"
    start=$(date +%s%N)
    "$home/bin/start" 2>/dev/null
    until status | grep -q "all active or satisfied"; do sleep 0.05; done
    end=$(date +%s%N)
    echo "run $run: $(( (end - start) / 1000000 )) ms until every Mailslot component was active or satisfied"
    # Stopping while the features service still provisions can deadlock Felix, so let it finish.
    until grep -q "| Done." "$home/data/log/karaf.log"; do sleep 0.1; done
    "$home/bin/stop" 2>/dev/null
    for _ in $(seq 1 300); do pgrep -f "karaf.base=$home" >/dev/null || break; sleep 0.1; done
    pkill -9 -f "karaf.base=$home" || true
    home=""
done
