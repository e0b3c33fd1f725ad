"""Romaji for 団体 search: Hepburn from the kana of the reference data, and one loose key for what people type.

People type 「ishinomaki」, 「Ishinomaki」, 「sendai」, 「hokkaido」 (not 「hokkaidou」), sometimes Kunrei
(「tiba」 for 千葉) or macrons (「Ōsaka」). `loose_key` folds all of these and the Hepburn of the kana to one
form, so a prefix of the key finds the 団体.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["hepburn", "loose_key"]

# The kana table: each row is one consonant before the five vowels. The Hepburn spellings that break the
# pattern (シ shi, チ chi, ツ tsu, フ fu, ジ ji …), the rows with gaps and the small kana are exceptions.
_VOWELS = "aiueo"
_ROWS = {
    "": "アイウエオ", "k": "カキクケコ", "g": "ガギグゲゴ", "s": "サシスセソ", "z": "ザジズゼゾ", "t": "タチツテト",
    "d": "ダヂヅデド", "n": "ナニヌネノ", "h": "ハヒフヘホ", "b": "バビブベボ", "p": "パピプペポ", "m": "マミムメモ",
    "r": "ラリルレロ",
}  # fmt: skip
_IRREGULAR = {
    "シ": "shi", "チ": "chi", "ツ": "tsu", "フ": "fu", "ジ": "ji", "ヂ": "ji", "ヅ": "zu",
    "ヤ": "ya", "ユ": "yu", "ヨ": "yo", "ワ": "wa", "ヰ": "i", "ヱ": "e", "ヲ": "o", "ン": "n", "ヴ": "vu",
    "ヮ": "wa", "ヵ": "ka", "ヶ": "ke",
}  # fmt: skip
# Small vowels after a kana make the sounds of loanwords: ティ ti, ファ fa, シェ she, ウィ wi; alone they are vowels.
_SMALL_VOWELS = dict(zip("ァィゥェォ", _VOWELS, strict=True))
_BASE: dict[str, str] = (
    {kana: consonant + vowel for consonant, row in _ROWS.items() for kana, vowel in zip(row, _VOWELS, strict=True)}
    | _SMALL_VOWELS
    | _IRREGULAR
)
# A consonant-i kana followed by a small ya/yu/yo: キャ kya, シャ sha, チャ cha, ジャ ja.
_YOON_STEMS = {"シ": "sh", "チ": "ch", "ジ": "j", "ヂ": "j"}
_SMALL_Y = {"ャ": "a", "ュ": "u", "ョ": "o"}
_LOAN_STEMS = {"テ": "t", "デ": "d", "フ": "f", "ウ": "w", "ヴ": "v", "シ": "sh", "ジ": "j", "チ": "ch", "ツ": "ts"}


def _katakana(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    return "".join(chr(ord(c) + 0x60) if "ぁ" <= c <= "ゖ" else c for c in text)


def hepburn(kana: str) -> str:
    """Modified Hepburn of a kana reading, in lower case without macrons: 「イシノマキシ」 → 「ishinomakishi」.

    ッ doubles the next consonant (っち → tchi); ン before a vowel or y is written n' (「シンヨウ」 → shin'you);
    ー repeats the vowel before it. Other characters pass through unchanged.
    """
    text = _katakana(kana)
    out: list[str] = []
    double = False
    i = 0
    while i < len(text):
        c = text[i]
        nxt = text[i + 1] if i + 1 < len(text) else ""
        if c == "ッ":
            double = True
            i += 1
            continue
        if c == "ー":
            last = next((ch for ch in reversed("".join(out)) if ch in "aiueo"), "")
            out.append(last)
            i += 1
            continue
        syllable: str | None = None
        if nxt in _SMALL_Y and c in _BASE and _BASE[c].endswith("i") and len(_BASE[c]) > 1:
            stem = _YOON_STEMS.get(c, _BASE[c][:-1] + "y")
            syllable = stem + _SMALL_Y[nxt]
            i += 2
        elif nxt in _SMALL_VOWELS and c in _LOAN_STEMS:
            syllable = _LOAN_STEMS[c] + _SMALL_VOWELS[nxt]
            i += 2
        else:
            syllable = _BASE.get(c, c)
            i += 1
        if syllable == "n" and i < len(text) and (_BASE.get(text[i], "x")[0] in "aiueoy"):
            syllable = "n'"
        if double and syllable and syllable[0] not in "aiueon'":
            syllable = ("t" if syllable.startswith("ch") else syllable[0]) + syllable
        double = False
        out.append(syllable)
    return "".join(out)


# Kunrei-shiki and Nihon-shiki spellings people also type, rewritten as Hepburn (order matters).
_TO_HEPBURN = (
    (re.compile(r"sy([aueo])"), r"sh\1"),
    (re.compile(r"ty([aueo])"), r"ch\1"),
    (re.compile(r"[zjd]y([aueo])"), r"j\1"),
    (re.compile(r"si"), "shi"),
    (re.compile(r"(?<![sc])ti"), "chi"),
    (re.compile(r"(?<!t)tu"), "tsu"),
    (re.compile(r"(?<![sc])hu"), "fu"),
    (re.compile(r"[zd]i"), "ji"),
    (re.compile(r"du"), "zu"),
    (re.compile(r"cch"), "tch"),
    (re.compile(r"m(?=[bmp])"), "n"),  # Shimbashi / Shinbashi
)
# Long vowels written or not: Hokkaidō, Hokkaido, Hokkaidou, Hokkaidoo all become hokkaido.
_LONG = ((re.compile(r"o[ou]"), "o"), (re.compile(r"uu"), "u"), (re.compile(r"aa"), "a"), (re.compile(r"ii"), "i"))


def loose_key(text: str) -> str:
    """A comparison key for romaji: lower case, no macrons, spaces, hyphens or apostrophes, Kunrei folded into
    Hepburn and long vowels shortened. Empty for text with no Latin letters."""
    text = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", text).lower())
    text = "".join(c for c in text if "a" <= c <= "z")
    for pattern, repl in _TO_HEPBURN:
        text = pattern.sub(repl, text)
    for pattern, repl in _LONG:
        text = pattern.sub(repl, text)
    return text
