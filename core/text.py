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


# Vietnamese alphabetical order: a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y, then the
# tones (none, grave, acute, hook, tilde, dot below) decide between otherwise equal words.
_LETTER_MARKS = {"\u0306": "1", "\u0302": "2", "\u031b": "3"}  # breve, circumflex, horn
_TONES = {"\u0300": "1", "\u0301": "2", "\u0309": "3", "\u0303": "4", "\u0323": "5"}


def vi_sort_key(text: str) -> tuple[str, str]:
    """A key that sorts Vietnamese names the way a Vietnamese reader expects ("Đ" after "D", not after "Z")."""
    letters, tones = [], ["0"]
    for ch in unicodedata.normalize("NFD", (text or "").lower()):
        if ch in _LETTER_MARKS and letters:
            letters[-1] = letters[-1][0] + _LETTER_MARKS[ch]
        elif ch in _TONES:
            tones[-1] = _TONES[ch]  # the syllable's tone, wherever the mark sits (hòa = hoà)
        elif ch == "đ":
            letters.append("d5")
        else:
            letters.append(ch + "0")
            if ch in " -":
                tones.append("0")
    return "".join(letters), "".join(tones)
