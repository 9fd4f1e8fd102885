"""Language helpers shared by indexing and searching.

Light on purpose: importing this package must stay fast (no jieba,
pypinyin or OpenCC at import time).  Traditional → simplified folding for
queries reads OpenCC's character table (``TSCharacters.txt``, shipped in the
``opencc`` package) directly, without importing OpenCC itself.
"""

from __future__ import annotations

import functools
import importlib.util
import os
import re
import unicodedata

_PUNCT = str.maketrans(
    {
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2212": "-",
        "\u2018": "'",
        "\u2019": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201f": '"',
        "\u2033": '"',
    }
)

#: Han characters: CJK Unified Ideographs with extension A, compatibility
#: ideographs, and the supplementary planes' extensions B and later.  The one
#: definition of "a Han character" in termbase.
HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")


def fold(text: str) -> str:
    """NFKC (full-width to half-width), case-folded, dashes and quotes unified, trimmed."""
    return unicodedata.normalize("NFKC", text).translate(_PUNCT).casefold().strip()


#: Characters that take no room on screen: zero-width space, joiners, word joiner,
#: byte-order mark, soft hyphen (text copied from PDFs and web pages carries them).
INVISIBLE = re.compile("[\u200b-\u200d\u2060\ufeff\u00ad]")
_SPACE_BY_HAN = re.compile(rf"(?<={HAN.pattern})\s+(?={HAN.pattern})")


def squeeze(text: str) -> str:
    """*text* without invisible characters and without spaces between two Han
    characters (``高质量 发展`` → ``高质量发展``): Chinese is written without
    spaces, so a space there comes from a PDF's line breaks or layout."""
    return _SPACE_BY_HAN.sub("", INVISIBLE.sub("", text))


def has_han(text: str) -> bool:
    """True when *text* contains a Han character."""
    return bool(HAN.search(text))


_HAN_RUN = re.compile(HAN.pattern + "+")


def han_runs(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of each run of Han characters of *text* (one match per
    run rather than per character: a Chinese term is mostly one run)."""
    return [m.span() for m in _HAN_RUN.finditer(text)]


@functools.lru_cache(maxsize=1)
def _t2s_table() -> dict[int, str]:
    spec = importlib.util.find_spec("opencc")
    table: dict[int, str] = {}
    if spec is None or not spec.submodule_search_locations:
        return table
    path = os.path.join(
        next(iter(spec.submodule_search_locations)), "dictionary", "TSCharacters.txt"
    )
    try:
        with open(path, encoding="utf-8") as fh:
            for line in fh:
                trad, _tab, simp = line.rstrip("\n").partition("\t")
                if len(trad) == 1 and simp:
                    table[ord(trad)] = simp.split(" ")[0]
    except OSError:
        return {}
    return table


def t2s_chars(text: str) -> str:
    """Traditional → simplified, character by character (OpenCC's character table)."""
    return text.translate(_t2s_table()) if has_han(text) else text


def fold_zh(text: str) -> str:
    """:func:`fold`, then traditional characters mapped to simplified ones."""
    return t2s_chars(fold(text))


_TONE_NUMBERS = re.compile(r"(?<=[a-zü])[1-5]")


def fold_pinyin(text: str) -> str:
    """Toned, tone-numbered or plain pinyin → plain letters, ü as v, no spaces.

    ``gāo zhìliàng`` → ``gaozhiliang``; ``gao1 zhi4 liang4`` → ``gaozhiliang``;
    ``lǜ`` / ``lü`` / ``lu:`` → ``lv``.
    """
    if _LOWER_TONED.fullmatch(text):  # what pypinyin writes: one table lookup a letter
        return text.translate(_TONE_MARKS)
    return _fold_pinyin(text)


def _fold_pinyin(text: str) -> str:
    """:func:`fold_pinyin` of any text: case, compositions, tone numbers, ``u:``."""
    text = unicodedata.normalize("NFC", text.casefold())
    text = re.sub("[ǖǘǚǜü]", "v", text).replace("u:", "v")
    text = _TONE_NUMBERS.sub("", text)
    text = "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))
    return re.sub(r"[^a-z]", "", text)


#: The precomposed lower-case letters of toned pinyin (pypinyin's output) and
#: the digits (a number in a term stands in its pinyin), each mapped to what
#: :func:`_fold_pinyin` makes of it, so that such a word folds by one
#: ``str.translate``.
_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ0123456789"
_TONE_MARKS = str.maketrans({c: _fold_pinyin(c) or None for c in _TONED})
_LOWER_TONED = re.compile(f"[a-z{_TONED}]*")


#: Every toneless pinyin syllable (ü as v), from pypinyin's dictionary.
_SYLLABLES = frozenset(
    [
        "a",
        "ai",
        "an",
        "ang",
        "ao",
        "ba",
        "bai",
        "ban",
        "bang",
        "bao",
        "bei",
        "ben",
        "beng",
        "bi",
        "bian",
        "biang",
        "biao",
        "bie",
        "bin",
        "bing",
        "bo",
        "bong",
        "bu",
        "ca",
        "cai",
        "can",
        "cang",
        "cao",
        "ce",
        "cei",
        "cen",
        "ceng",
        "cha",
        "chai",
        "chan",
        "chang",
        "chao",
        "che",
        "chen",
        "cheng",
        "chi",
        "chong",
        "chou",
        "chu",
        "chua",
        "chuai",
        "chuan",
        "chuang",
        "chui",
        "chun",
        "chuo",
        "ci",
        "cong",
        "cou",
        "cu",
        "cuan",
        "cui",
        "cun",
        "cuo",
        "da",
        "dai",
        "dan",
        "dang",
        "dao",
        "de",
        "dei",
        "den",
        "deng",
        "di",
        "dia",
        "dian",
        "diao",
        "die",
        "din",
        "ding",
        "diu",
        "dong",
        "dou",
        "du",
        "duan",
        "dui",
        "dun",
        "duo",
        "e",
        "ei",
        "en",
        "eng",
        "er",
        "fa",
        "fan",
        "fang",
        "fei",
        "fen",
        "feng",
        "fiao",
        "fo",
        "fou",
        "fu",
        "ga",
        "gai",
        "gan",
        "gang",
        "gao",
        "ge",
        "gei",
        "gen",
        "geng",
        "gong",
        "gou",
        "gu",
        "gua",
        "guai",
        "guan",
        "guang",
        "gui",
        "gun",
        "guo",
        "ha",
        "hai",
        "han",
        "hang",
        "hao",
        "he",
        "hei",
        "hen",
        "heng",
        "hm",
        "hng",
        "hong",
        "hou",
        "hu",
        "hua",
        "huai",
        "huan",
        "huang",
        "hui",
        "hun",
        "huo",
        "ji",
        "jia",
        "jian",
        "jiang",
        "jiao",
        "jie",
        "jin",
        "jing",
        "jiong",
        "jiu",
        "ju",
        "juan",
        "jue",
        "jun",
        "ka",
        "kai",
        "kan",
        "kang",
        "kao",
        "ke",
        "kei",
        "ken",
        "keng",
        "kong",
        "kou",
        "ku",
        "kua",
        "kuai",
        "kuan",
        "kuang",
        "kui",
        "kun",
        "kuo",
        "la",
        "lai",
        "lan",
        "lang",
        "lao",
        "le",
        "lei",
        "len",
        "leng",
        "li",
        "lia",
        "lian",
        "liang",
        "liao",
        "lie",
        "lin",
        "ling",
        "liu",
        "lo",
        "long",
        "lou",
        "lu",
        "luan",
        "lun",
        "luo",
        "lv",
        "lve",
        "m",
        "ma",
        "mai",
        "man",
        "mang",
        "mao",
        "me",
        "mei",
        "men",
        "meng",
        "mi",
        "mian",
        "miao",
        "mie",
        "min",
        "ming",
        "miu",
        "mo",
        "mou",
        "mu",
        "n",
        "na",
        "nai",
        "nan",
        "nang",
        "nao",
        "ne",
        "nei",
        "nen",
        "neng",
        "ng",
        "ni",
        "nia",
        "nian",
        "niang",
        "niao",
        "nie",
        "nin",
        "ning",
        "niu",
        "nong",
        "nou",
        "nu",
        "nuan",
        "nun",
        "nuo",
        "nv",
        "nve",
        "o",
        "ou",
        "pa",
        "pai",
        "pan",
        "pang",
        "pao",
        "pei",
        "pen",
        "peng",
        "pi",
        "pian",
        "piao",
        "pie",
        "pin",
        "ping",
        "po",
        "pou",
        "pu",
        "qi",
        "qia",
        "qian",
        "qiang",
        "qiao",
        "qie",
        "qin",
        "qing",
        "qiong",
        "qiu",
        "qu",
        "quan",
        "que",
        "qun",
        "ran",
        "rang",
        "rao",
        "re",
        "ren",
        "reng",
        "ri",
        "rong",
        "rou",
        "ru",
        "rua",
        "ruan",
        "rui",
        "run",
        "ruo",
        "sa",
        "sai",
        "san",
        "sang",
        "sao",
        "se",
        "sen",
        "seng",
        "sha",
        "shai",
        "shan",
        "shang",
        "shao",
        "she",
        "shei",
        "shen",
        "sheng",
        "shi",
        "shou",
        "shu",
        "shua",
        "shuai",
        "shuan",
        "shuang",
        "shui",
        "shun",
        "shuo",
        "si",
        "song",
        "sou",
        "su",
        "suan",
        "sui",
        "sun",
        "suo",
        "ta",
        "tai",
        "tan",
        "tang",
        "tao",
        "te",
        "tei",
        "teng",
        "ti",
        "tian",
        "tiao",
        "tie",
        "ting",
        "tong",
        "tou",
        "tu",
        "tuan",
        "tui",
        "tun",
        "tuo",
        "wa",
        "wai",
        "wan",
        "wang",
        "wei",
        "wen",
        "weng",
        "wo",
        "wong",
        "wu",
        "xi",
        "xia",
        "xian",
        "xiang",
        "xiao",
        "xie",
        "xin",
        "xing",
        "xiong",
        "xiu",
        "xu",
        "xuan",
        "xue",
        "xun",
        "ya",
        "yan",
        "yang",
        "yao",
        "ye",
        "yi",
        "yin",
        "ying",
        "yo",
        "yong",
        "you",
        "yu",
        "yuan",
        "yue",
        "yun",
        "za",
        "zai",
        "zan",
        "zang",
        "zao",
        "ze",
        "zei",
        "zen",
        "zeng",
        "zha",
        "zhai",
        "zhan",
        "zhang",
        "zhao",
        "zhe",
        "zhei",
        "zhen",
        "zheng",
        "zhi",
        "zhong",
        "zhou",
        "zhu",
        "zhua",
        "zhuai",
        "zhuan",
        "zhuang",
        "zhui",
        "zhun",
        "zhuo",
        "zi",
        "zong",
        "zou",
        "zu",
        "zuan",
        "zui",
        "zun",
        "zuo",
    ]
)


def _syllabify(word: str) -> list[str] | None:
    """*word* (plain letters) cut into syllables, longest first, or None."""
    if not word:
        return []
    for n in range(min(6, len(word)), 0, -1):
        if word[:n] in _SYLLABLES:
            rest = _syllabify(word[n:])
            if rest is not None:
                return [word[:n], *rest]
    return None


def split_pinyin(text: str, count: int) -> list[str] | None:
    """Plain syllables of pinyin written by word, when there are exactly *count*.

    ``xīn fāzhǎn géjú`` → ``['xin', 'fa', 'zhan', 'ge', 'ju']``; apostrophes
    separate syllables (``Xī'ān`` → ``['xi', 'an']``), otherwise a word is cut
    longest syllable first, as Hanyu Pinyin orthography writes it.  None when
    the text does not cut into *count* valid syllables (Latin words, erhua …).
    """
    out: list[str] = []
    for word in _PINYIN_WORD_SPLIT.split(text):
        parts = _word_syllables(word)
        if parts is None:
            return None
        out.extend(parts)
    return out if len(out) == count else None


_PINYIN_WORD_SPLIT = re.compile(r"[\s'’\-]+")


@functools.lru_cache(maxsize=65536)
def _word_syllables(word: str) -> tuple[str, ...] | None:
    """Plain syllables of one pinyin word (cached: an import meets the same words
    again and again)."""
    parts = _syllabify(fold_pinyin(word))
    return None if parts is None else tuple(parts)
