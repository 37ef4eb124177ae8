"""Text helpers shared by every app."""

import unicodedata


def fold(text: str) -> str:
    """Lower-case ASCII form of Vietnamese text, so "ben tre" finds "Bến Tre".

    NFKD splits most diacritics off their letters; đ/Đ is a letter of its own and is mapped by hand.
    """
    text = (text or "").replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.lower().split())
