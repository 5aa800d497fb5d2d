"""Write the common-word lists of ``canonym/data/common_words/`` from wordfreq.

Running text capitalizes many words that are no names (sentence openers, German
nouns); a capitalized word that is common in its paragraph's language needs a form
written exactly so before it links. The lists hold the words whose Zipf frequency in
wordfreq's lists is at least ``--zipf`` (4.0: about once in 10,000 words), lower case,
one per line. wordfreq's data is CC BY-SA 4.0 (https://github.com/rspeer/wordfreq).

    pip install wordfreq && python tools/common_words.py
"""

from __future__ import annotations

import argparse
from pathlib import Path

import wordfreq

LANGUAGES = ("en", "fr", "de", "es", "it", "ar")
OUT = Path(__file__).resolve().parents[1] / "src" / "canonym" / "data" / "common_words"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--zipf", type=float, default=4.0)
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    for lang in LANGUAGES:
        words = sorted(
            {
                w
                for w in wordfreq.top_n_list(lang, 100_000)
                if wordfreq.zipf_frequency(w, lang) >= args.zipf and any(c.isalpha() for c in w)
            }
        )
        (args.out / f"{lang}.txt").write_text("\n".join(words) + "\n", encoding="utf-8")
        print(f"{lang}: {len(words)} words")


if __name__ == "__main__":
    main()
