#!/usr/bin/env bash
# Where Mailslot's time and thread switches go under ingest.sh's load: runs benchmarks/ingest.sh with the
# given arguments (--targets mailslot,sink at least; a --warmup large enough that the compiler is done),
# reads every thread's voluntary and involuntary context switches and CPU time from /proc when the
# warm-up is done and again when the last Mailslot measurement has ended (the line "rep 1 mailslot ...
# 32 sessions" by default, TO=regex to choose), and prints them per message, threads of a pool summed
# (names from jcmd Thread.print, digits folded to N). MESSAGES: the Mailslot messages between the two
# looks (default 16000: smtp-source and the harness, --count 4000, 8 and 32 sessions).
#
# Usage: benchmarks/ingest-threads.sh --count 4000 --reps 1 --sessions 8,32 --sizes 1024 --heap-mb 0 \
#            --targets mailslot,sink --warmup 40000
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
to=${TO:-"^rep 1 mailslot .*32 sessions"}
messages=${MESSAGES:-16000}
work=$(mktemp -d /tmp/mailslot-ingest-threads.XXXXXX)
trap 'rm -rf "$work"' EXIT
"$here/ingest.sh" "$@" > "$work/out" 2>&1 &
bench=$!
look() {
    for task in /proc/"$1"/task/*; do
        echo "$(basename "$task") $(awk '/^voluntary_ctxt/{v=$2} /^nonvoluntary_ctxt/{n=$2} END{print v, n}' "$task/status" 2>/dev/null) $(awk '{print $14 + $15}' "$task/stat" 2>/dev/null)"
    done > "$2"
}
pid=""
until [ -n "$pid" ] || ! kill -0 $bench 2>/dev/null; do
    sleep 0.5; pid=$(grep -o -m1 'pid [0-9]*' "$work/out" | cut -d' ' -f2 || true)
done
until grep -q "^Warm-up done" "$work/out" || ! kill -0 $bench 2>/dev/null; do sleep 0.2; done
look "$pid" "$work/first"
jcmd "$pid" Thread.print > "$work/threads" 2>&1
until grep -q "$to" "$work/out" || ! kill -0 $bench 2>/dev/null; do sleep 0.2; done
look "$pid" "$work/last"
wait $bench
cat "$work/out"
/usr/bin/python3 - "$work" "$messages" "$(getconf CLK_TCK)" <<'PY'
import collections, re, sys
work, messages, ticks = sys.argv[1], float(sys.argv[2]), float(sys.argv[3])
names = {}
for line in open(work + '/threads'):
    m = re.match(r'^"([^"]+)".* nid=(0x[0-9a-f]+)', line)
    if m:
        names[int(m.group(2), 16)] = m.group(1)
def look(name):
    rows = {}
    for line in open(work + '/' + name):
        p = line.split()
        if len(p) == 4:
            rows[int(p[0])] = tuple(int(x) for x in p[1:])
    return rows
first, last = look('first'), look('last')
pools = collections.defaultdict(lambda: [0, 0, 0])
for tid, now in last.items():
    before = first.get(tid, (0, 0, 0))
    pool = pools[re.sub(r'\d+', 'N', names.get(tid, '(thread started later)'))]
    for i in range(3):
        pool[i] += now[i] - before[i]
print('\n| thread | switches/msg, voluntary | involuntary | CPU ms/msg |\n|---|---:|---:|---:|')
for name, (v, n, c) in sorted(pools.items(), key=lambda kv: -(kv[1][0] + kv[1][1] + kv[1][2])):
    if v + n > messages / 100 or c > 1:
        print('| %s | %.2f | %.2f | %.3f |' % (name, v / messages, n / messages, c / ticks * 1000 / messages))
v, n, c = (sum(p[i] for p in pools.values()) for i in range(3))
print('| all | %.2f | %.2f | %.3f |' % (v / messages, n / messages, c / ticks * 1000 / messages))
PY
