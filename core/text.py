"""Text helpers shared by every app."""

import functools
import unicodedata

from core.collation import SEPARATOR, SPACE, sort_key


def fold(text: str) -> str:
    """Lower-case ASCII form of Vietnamese text, so "ben tre" finds "Bến Tre".

    NFKD splits most diacritics off their letters; đ/Đ is a letter of its own and is mapped by hand.
    """
    text = (text or "").replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.lower().split())


@functools.lru_cache(maxsize=16384)  # a pure function of a name; dashboards sort ≈3,000 names a view
def vi_sort_key(text: str) -> tuple[str, str]:
    """A key that sorts Vietnamese names the way a Vietnamese reader expects ("Đ" after "D", not after "Z").

    Letters by the alphabet of ``core.collation`` (the order volunteers' names are stored in), then one
    tone per word as the tie-breaker, wherever its mark sits (hòa = hoà).
    """
    letters, tones = [], []
    for word in (text or "").split():
        primary, _, word_tones = sort_key(word).partition(SEPARATOR)
        letters.append(primary)
        tones.append(max(word_tones, default="0"))
    return SPACE.join(letters), "".join(tones)
