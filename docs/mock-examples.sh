#!/usr/bin/env bash
# Runs the ```console examples of docs/mock.md in real bash, with real curl and jq, against a
# freshly built `stormcheck mock`, and compares every answer with the page (… matches any
# text). CI runs the same examples hermetically in Go (go test ./mockd365 -run
# TestDocExamples, reading bash with mvdan.cc/sh, with curl and jq as Go functions and a
# clock of its own); this script checks that those answer as the real tools do. It uses the page's loopback ports
# 8365-8371, which must be free, and real time (about 30 s of sleeps).
# Usage: docs/mock-examples.sh    (needs go, bash, curl, jq, python3)
set -euo pipefail
cd "$(dirname "$0")/.."
for port in 8365 8366 8367 8368 8369 8370 8371; do
	if (echo >"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
		echo "port $port is in use; the examples need 8365-8371 free" >&2
		exit 1
	fi
done

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
go build -o "$work/bin/stormcheck" ./cmd/stormcheck
mkdir "$work/session"

# Split the page into commands and the outputs it shows; write them as one script whose
# commands each print a marker first.
python3 - "$work" <<'EOF'
import json, sys
work = sys.argv[1]
examples, cur, in_block, continued = [], None, False, False
for n, line in enumerate(open("docs/mock.md").read().split("\n"), 1):
    if not in_block:
        in_block = line.strip() == "```console"
    elif line.strip() == "```":
        in_block, cur = False, None
    elif continued:
        cur["command"] += "\n" + line
        continued = line.endswith("\\")
    elif line.startswith("$ "):
        cur = {"line": n, "command": line[2:], "output": []}
        examples.append(cur)
        continued = line.endswith("\\")
    else:
        cur["output"].append(line)
json.dump(examples, open(work + "/examples.json", "w"))
with open(work + "/session.sh", "w") as f:
    for i, ex in enumerate(examples):
        f.write(f"echo '@@@{i}@@@'\n{ex['command']}\n")
    f.write("echo '@@@end@@@'\nkill $(jobs -p) 2>/dev/null || true\n")
EOF

(cd "$work/session" && PATH="$work/bin:$PATH" bash "$work/session.sh" >"$work/out.txt" 2>/dev/null) || true

python3 - "$work" <<'EOF'
import json, re, sys
work = sys.argv[1]
examples = json.load(open(work + "/examples.json"))
parts = re.split(r"@@@(\d+|end)@@@\n", open(work + "/out.txt").read())
got = {int(parts[k]): parts[k + 1] for k in range(1, len(parts) - 1, 2) if parts[k] != "end"}
def norm(s):
    lines = s.replace("\r\n", "\n").split("\n")
    return "\n".join(l.rstrip(" \t\r") for l in lines).rstrip("\n")
bad = 0
for i, ex in enumerate(examples):
    shown = "\n".join(ex["output"]).rstrip("\n")
    pattern = r"\A" + "(?s:.*?)".join(re.escape(p) for p in shown.split("…")) + r"\Z"
    answer = norm(got.get(i, ""))
    if not re.match(pattern, answer):
        bad += 1
        print(f"docs/mock.md:{ex['line']}: {ex['command']}\nthe doc shows:\n{shown}\n"
              f"the mock answers:\n{answer[:4000]}\n")
print(f"{len(examples) - bad} of {len(examples)} examples answer as docs/mock.md shows")
sys.exit(1 if bad else 0)
EOF
