"""Finding English left in a translated text: the sentences of an app's catalogue, each as its
text before the first placeholder, looked for in the text."""

from __future__ import annotations

from pathlib import Path

import polib

# Short words ("sent", "Status") can be the same in a language; long sentences never are. The
# fragment before a placeholder must be long too: "The" (from "The %(kind)s for…") is also in a
# random name such as "Theo"; 9 characters keep "Invitation:" and "Reminder:".
MIN_FRAGMENT = 9


def english_fragments(catalogue: Path) -> list[str]:
    fragments = (e.msgid.split("%(")[0].strip() for e in polib.pofile(str(catalogue)) if len(e.msgid) > 25)
    return [fragment for fragment in fragments if len(fragment) >= MIN_FRAGMENT]


def english_left(text: str, catalogue: Path) -> list[str]:
    return [fragment for fragment in english_fragments(catalogue) if fragment in text]
