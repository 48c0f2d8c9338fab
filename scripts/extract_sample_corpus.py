#!/usr/bin/env python3
"""Rebuilds the xSID part of the sample-data corpus shipped in the jobs jar from datasets/.

The generator needs real text offline and inside the shaded jar (spark-submit has no ../shared),
so we ship a compact copy of xSID's validation sentences (text, intent, language) as TSV. BANKING77's
training split goes into the jar as it is, from datasets/banking77 (jobs/pom.xml). Licences: see corpus/LICENSES.md.
Usage: python3 scripts/extract_sample_corpus.py [datasets]
"""
import pathlib
import sys

LANGUAGES = ["en", "de", "it", "nl", "da", "tr", "id", "ja", "zh", "ar"]


def main() -> None:
    data = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else "datasets")
    out = pathlib.Path("jobs/src/main/resources/io/cxml/jobs/sample/corpus")
    out.mkdir(parents=True, exist_ok=True)
    rows = []
    for lang in LANGUAGES:
        text = intent = None
        for line in (data / f"xsid/valid/{lang}.valid.conll").read_text(encoding="utf-8").splitlines():
            if line.startswith("# text = "):
                text = line[len("# text = "):].strip()
            elif line.startswith("# intent = "):
                intent = line[len("# intent = "):].strip()
            elif not line.strip() and text and intent:
                rows.append((lang, intent, text))
                text = intent = None
        if text and intent:
            rows.append((lang, intent, text))
    with open(out / "xsid-valid.tsv", "w", encoding="utf-8") as f:
        f.write("language\tintent\ttext\n")
        for lang, intent, text in rows:
            f.write(f"{lang}\t{intent}\t{text.replace(chr(9), ' ')}\n")
    print(f"wrote {len(rows)} xSID sentences for {len(LANGUAGES)} languages")


if __name__ == "__main__":
    main()
