#!/usr/bin/env bash
# Sentiment on the sample data, measured: trains `sentiment` from the outcome weak labels on an ingested sample
# (run `bin/cxml pipeline --sample` first), then evaluates that version against the hidden tone of the held-out
# window (the newest 10% of tickets): all tickets, and those where the customer wrote a follow-up. Writes
# bench-results/sample-sentiment.json. Usage: scripts/measure-sample-sentiment.sh [--conf key=value ...]
set -euo pipefail
home="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
root="$("$home/bin/cxml" config --show "$@" | sed -n 's/^ *root="\(.*\)"$/\1/p' | head -1)"
root="$(cd "$root" && pwd)" # relative to where the pipeline ran, as bin/cxml resolves it
set -- "$@" --conf "cxml.storage.root=$root"
cd "$home"
bin/cxml train sentiment "$@" | tee /tmp/cxml-sentiment-train.txt
mapfile -t jvm_options < <(grep -vE '^\s*(#|$)' conf/jvm.options)
java "${jvm_options[@]}" -Xmx3g -cp "jobs/target/cxml.jar:$(cat jobs/target/provided-classpath.txt)" \
  scripts/SampleToneLabels.java "$root" "$root/tmp/sample-tone"
for set in all follow-ups; do
  bin/cxml evaluate sentiment --data "$root/tmp/sample-tone/$set" "$@" | tee "/tmp/cxml-sentiment-$set.txt"
done
mkdir -p bench-results
python3 - "$root" > bench-results/sample-sentiment.json <<'PY'
import glob, json, os, re, sys
root = sys.argv[1]
train = open('/tmp/cxml-sentiment-train.txt').read()
version = re.search(r'model (sentiment@v\d+)', train).group(1)
report = json.load(open(os.path.join(root, 'models/sentiment', version.split('@')[1], 'report/metrics.json')))
support = {c['label']: c['support'] for c in report['model']['perClass']}
out = {'model': version, 'weak_label_accuracy': report['model']['accuracy'],
       'weak_label_macro_f1': report['model']['macroF1'], 'baseline_accuracy': (report.get('baseline') or {}).get('accuracy'),
       'majority_share': max(support.values()) / sum(support.values()), 'held_out': report['extra'].get('held-out set'),
       'overlap': report['extra'].get('held-out texts also in training')}
for name in ['all', 'follow-ups']:
    path = re.search(r'report: (\S+)', open(f'/tmp/cxml-sentiment-{name}.txt').read()).group(1)
    path = path.replace('file://', '').replace('file:', '')
    m = json.load(open(os.path.join(os.path.dirname(path), 'metrics.json')))
    out['tone_agreement_' + name.replace('-', '_')] = m['model']['accuracy']
    out['tone_examples_' + name.replace('-', '_')] = m['model']['examples']
    out['tone_per_language_' + name.replace('-', '_')] = {k: round(v['accuracy'], 3) for k, v in m['model']['perLanguage'].items()}
print(json.dumps(out, indent=2))
PY
cat bench-results/sample-sentiment.json
