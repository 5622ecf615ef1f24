#!/usr/bin/python3
"""Make the gettext side of bench/compare.sh: one PO file per locale from a POT.

    pofill.py POT OUTDIR LOCALE...

For each locale it writes OUTDIR/LOCALE.po (the tag as given, e.g. zh-Hans.po)
from POT with about 90% of the messages translated, the same shape as the
translations that bench/corpusgen writes into the healthi18n translator files:
"[es] no: <source>". About 1% of the translations have a changed number
("4" -> "40"), like corpusgen's broken share, so that pofilter's numbers check
has something to find. Which message is translated or broken depends only on
the locale and the message (a SHA-1 of both), so the same POT always gives the
same PO files.

It uses translate-toolkit (translate.storage.po.pofile), so run it with the
Python that Debian's translate-toolkit package installs into (/usr/bin/python3).
"""

import hashlib
import os
import sys

from translate.storage import po

# A negation word each locale's list accepts (internal/corpus).
NEGATION = {
    "es": "no", "de": "nicht", "fr": "ne pas", "ar": "لا", "ru": "не", "ja": "ない", "zh-Hans": "不",
    "it": "non", "pt-BR": "não", "pl": "nie", "nl": "niet", "sv": "inte", "tr": "değil", "uk": "не", "ko": "않",
}

TWO = "nplurals=2; plural=(n != 1);"
ONE = "nplurals=1; plural=0;"
SLAVIC = ("nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && "
          "(n%100<10 || n%100>=20) ? 1 : 2);")
PLURAL_FORMS = {
    "es": TWO, "de": TWO, "it": TWO, "nl": TWO, "sv": TWO, "tr": TWO,
    "fr": "nplurals=2; plural=(n > 1);", "pt-BR": "nplurals=2; plural=(n > 1);",
    "ja": ONE, "zh-Hans": ONE, "ko": ONE, "ru": SLAVIC, "uk": SLAVIC,
    "pl": "nplurals=3; plural=(n==1 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);",
    "ar": ("nplurals=6; plural=(n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 : "
           "n%100>=11 ? 4 : 5);"),
}

TRANSLATED = 900  # per mille
BROKEN = 10  # per mille of all messages, taken from the translated ones


def main(argv):
    if len(argv) < 4:
        sys.stderr.write("usage: pofill.py POT OUTDIR LOCALE...\n")
        return 2
    pot, outdir, locales = argv[1], argv[2], argv[3:]
    with open(pot, "rb") as f:
        template = f.read()
    os.makedirs(outdir, exist_ok=True)
    for lang in locales:
        if lang not in NEGATION:
            sys.stderr.write("pofill.py: unknown locale %r\n" % lang)
            return 2
        store = po.pofile.parsestring(template)
        header = store.header()
        if header is not None:
            header.markfuzzy(False)
        store.updateheader(
            add=True,
            Project_Id_Version="healthi18n bench corpus",
            PO_Revision_Date="2026-01-01 00:00+0000",
            Language=lang.replace("-", "_"),
            Plural_Forms=PLURAL_FORMS[lang],
            Last_Translator="corpusgen <bench@example.invalid>",
            Language_Team=lang,
        )
        done = broken = total = 0
        for unit in store.units:
            if unit.isheader() or unit.isobsolete():
                continue
            total += 1
            source = unit.source
            h = int.from_bytes(hashlib.sha1((lang + "\0" + source).encode("utf-8")).digest()[:8], "big") % 1000
            if h >= TRANSLATED:
                continue
            text = "[%s] %s: %s" % (lang, NEGATION[lang], source)
            if h < BROKEN and "4" in text:
                text = text.replace("4", "40", 1)
                broken += 1
            unit.target = text
            done += 1
        path = os.path.join(outdir, lang + ".po")
        with open(path, "wb") as f:
            f.write(bytes(store))
        sys.stderr.write("pofill.py: %s: %d/%d translated, %d broken\n" % (path, done, total, broken))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
