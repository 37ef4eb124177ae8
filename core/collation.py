"""Sorting names in Vietnamese alphabetical order, the same on SQLite and PostgreSQL.

Databases compare code points (or a locale they happen to have), which puts "Đức" after "Yến" and
"Ánh" after "Zũ". ``sort_key`` maps a name to an ASCII string that sorts the Vietnamese way:
letters by the alphabet a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y, then tones
(none, huyền, hỏi, ngã, sắc, nặng) as a tie-breaker. It is stored in a column and ordered on.
"""

import unicodedata

ALPHABET = ["a", "ă", "â", "b", "c", "d", "đ", "e", "ê", "f", "g", "h", "i", "j", "k", "l", "m", "n"]
ALPHABET += ["o", "ô", "ơ", "p", "q", "r", "s", "t", "u", "ư", "v", "w", "x", "y", "z"]
_RANK = {letter: chr(0x41 + n) for n, letter in enumerate(ALPHABET)}  # "A", "B", ... all above "!"
# Combining marks that make a letter of its own (ă â ê ô ơ ư) versus the tone marks.
_LETTER_MARKS = {"\u0306", "\u0302", "\u031b"}
_TONES = {"\u0300": "1", "\u0309": "2", "\u0303": "3", "\u0301": "4", "\u0323": "5"}
SEPARATOR = "!"  # below every letter code, so "An" sorts before "Anh"
SPACE = '"'


def sort_key(text: str) -> str:
    primary, tones = [], []
    for char in unicodedata.normalize("NFC", (text or "").strip().lower()):
        if char == " ":
            primary.append(SPACE)
            continue
        decomposed = unicodedata.normalize("NFD", char)
        base = decomposed[0] + "".join(m for m in decomposed[1:] if m in _LETTER_MARKS)
        letter = unicodedata.normalize("NFC", base)
        if letter in _RANK:
            primary.append(_RANK[letter])
            tones.append(next((_TONES[m] for m in decomposed[1:] if m in _TONES), "0"))
        elif char.isdigit():
            primary.append(char)
        else:
            primary.append("~")
    return "".join(primary) + SEPARATOR + "".join(tones)


def person_sort_key(given: str, family: str, middle: str) -> str:
    """Given name first, then family name, then middle name: how Vietnamese lists are ordered."""
    return SEPARATOR.join(sort_key(part) for part in (given, family, middle))
