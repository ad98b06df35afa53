"""Decode the bytes of a text file: BOMs, UTF-8, GB18030 vs Big5, then charset-normalizer.

Order of attempts (the first that fits wins):

1. a byte-order mark (UTF-8, UTF-16, UTF-32);
2. strict UTF-8;
3. UTF-16 without a BOM, when NUL bytes suggest it and the result is plausible text;
4. strict GB18030 and strict Big5, kept only if the result looks Chinese, the better one
   chosen by how many of its characters are common Chinese characters (mojibake from the
   wrong one is made of rare characters, kana, Cyrillic or private-use code points);
5. UTF-8 or GB18030 with a few undecodable bytes (a damaged or truncated file), shown as
   U+FFFD, when the rest looks Chinese;
6. charset-normalizer's best guess.
"""

from __future__ import annotations

import codecs
import re
from functools import cache

from auditor.errors import ReadError

_BOMS: tuple[tuple[bytes, str, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32", "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32", "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig", "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16", "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16", "utf-16"),
)

# Frequent Chinese characters (simplified, and those shared with traditional), the commonest
# traditional-only forms, vocabulary of government reports and CJK punctuation.
_COMMON = frozenset(
    "的一是不了在人有我他这个们中来上大为和国地到以说时要就出会可也你对生能而子那得于着下自之"
    "年过发后作里用道行所然家种事成方多经么去法学如都同现当没动面起看定天分还进好小部其些主样"
    "理心她本前开但因只从想实日军者意无力它与长把机十民第公此已工使情明性知全三又关点正业外将"
    "两高间由问很最重并物手应战向头文体政美相见被利什二等产或新己制身果加西斯月话合回特代内信"
    "表化老给世位次度门任常先海通教儿原东声提立及比员解水名真论处走义各入几口认条平系气题活更"
    "别打女变四神总何电数安少报才结反受目太量再感建务做接必场件计管期市直德资命山金指许统区保"
    "至队形社便空决治展科司五基书非则白界达光放强即难且权思王完设式色路记南品住告类求据程北边"
    "张该交规万取格望觉术领共确传师观清今切院让识带导争运风步改收根干造言联持组每济车亲极林服"
    "快办议往元士证近失转令准布始存未远叫单影具字爱流备连调深商算质团集百需价花党华城石级整府"
    "离况请技际约示复息究线官断精满支视消越器容照须九增研写称企八功包片史委查易早曾除农找装广"
    "显标谈图念六引历首医局突专费号尽另周较注语仅考落青随选列红响虽推势参古众构房半节土投某案"
    "维革划致律足态护七兴派验责营星够章音跟志底站严例防族供效续施留讲型料终答紧黄绝察京段依批"
    "群项故按河米围江织害双境客纪采举攻友诉止细愿千值仍钱破网热助育属职速刻否刚威状率甚独般普"
    "校苦创假久错承印试股预益阳若微继送急血伤素药适波省初喜卫源食险待述陆习置居劳财环排福纳欢"
    "警获模充负停木游树疑层冷冲射略范竟句室异激村策演简罪判担州静退既宗积余检差富灵协角占配征"
    "修皮挥胜降阶审沉坚善读超免压银买养怀执副乱抗犯追帮宣航优香著田铁控税左右份艺背阵概块顿守"
    "户烈洋索款靠评版座释景顾登货互付慢换闻危忙核介坏良序升监临露永呼味野架域编肯测败温困渐封"
    "救贵缺楼县尚移画班智亦短掌固席秘镇街村乡贯彻落实健全完善加强深化推进开展举措成效依法行政"
    "执法监督决策公开透明普法宣传矛盾纠化解调基层治理履职责领导干部习近平新时代特色社会主义"
    "這個們來為國說時會對發後過裡麼經當沒動現還進開從實軍無與長機點業將兩間問關應戰頭體見產"
    "們學東車書長門開問間電話語說請讀認識謝記講議論設計劃導傳統總結會議報紙經濟發展環境政治"
    "法規建設監督執行權責機關單位區縣鎮鄉街道"
    "，。、；：？！“”‘’（）《》〈〉【】—…·０１２３４５６７８９"
)


_MAX_DAMAGE = 0.005  # the share of U+FFFD tolerated in a damaged file


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Decode ``data`` as text; return ``(text, codec name)`` or raise :class:`ReadError`."""
    attempts = (
        _decode_with_bom,
        _decode_utf8,
        decode_utf16_without_bom,
        _decode_chinese,
        _decode_damaged,
    )
    for attempt in attempts:
        decoded = attempt(data)
        if decoded is not None:
            return decoded
    return _decode_detected(data)


def _decode_with_bom(data: bytes) -> tuple[str, str] | None:
    for bom, codec, name in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(codec), name
            except UnicodeDecodeError as exc:
                raise ReadError(
                    f"{name} 文本无效（第 {exc.start} 字节处无法解码）",
                    hint="请将文件另存为 UTF-8 编码",
                ) from exc
    return None


def _decode_utf8(data: bytes) -> tuple[str, str] | None:
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        return None


def decode_utf16_without_bom(data: bytes) -> tuple[str, str] | None:
    """UTF-16 text saved without a BOM (it has NUL bytes and decodes to plausible text)."""
    if b"\x00" not in data[:4096] or len(data) % 2:
        return None
    for codec in ("utf-16-le", "utf-16-be"):
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        if _plausible_share(text[:20_000]) >= 0.95:
            return text, codec
    return None


def _decode_chinese(data: bytes) -> tuple[str, str] | None:
    candidates: list[tuple[str, str]] = []
    for codecs_to_try in (("gb18030",), ("big5", "cp950")):
        decoded = _first_strict(data, codecs_to_try)
        if decoded is not None and _chinese_share(decoded[0][:100_000]) >= 0.5:
            candidates.append(decoded)
    if not candidates:
        return None
    return max(candidates, key=lambda c: common_share(c[0][:100_000]))


def _decode_damaged(data: bytes) -> tuple[str, str] | None:
    """Text with a few bad bytes: keep it, marking each bad spot with U+FFFD."""
    for codec in ("utf-8", "gb18030"):
        text = data.decode(codec, errors="replace")
        sample = text[:100_000]
        if few_damaged(sample) and _chinese_share(sample.replace("\ufffd", "")) >= 0.5:
            return text, codec
    return None


def few_damaged(text: str) -> bool:
    """Whether ``text`` (decoded with errors replaced) has no more bad spots (U+FFFD) than a
    damaged file of that codec has: one, or :data:`_MAX_DAMAGE` of it; more, and the codec is wrong."""
    return text.count("\ufffd") <= max(1.0, _MAX_DAMAGE * len(text))


def _first_strict(data: bytes, codec_names: tuple[str, ...]) -> tuple[str, str] | None:
    for codec in codec_names:
        try:
            return data.decode(codec), codec
        except UnicodeDecodeError:
            continue
    return None


def _decode_detected(data: bytes) -> tuple[str, str]:
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise ReadError("内容是二进制数据，不是文本", hint="没有任何已知的文本编码与之相符，请确认是否选对了文件")
    return str(best), codecs.lookup(best.encoding).name


_CHINESE = "\u4e00-\u9fff\u3400-\u4dbf\u3000-\u303f\uff00-\uffef\u2010-\u206f\U00020000-\U0002fa1f"
#: runs of non-ASCII, non-space characters (what the shares below are computed over); runs
#: rather than single characters, so that counting them builds a few strings, not one per character
_NON_ASCII = re.compile(r"[^\x00-\x7f\s]+")
_CHINESE_CHARS = re.compile(f"(?:(?!\\s)[{_CHINESE}])+")
#: every character of _COMMON is non-ASCII and no space: counted in the whole text, they are counted among those
_COMMON_CHARS = re.compile("[" + re.escape("".join(sorted(_COMMON))) + "]+")


def _count(runs: re.Pattern[str], text: str) -> int:
    """How many characters of ``text`` the character-run pattern ``runs`` covers."""
    return sum(map(len, runs.findall(text)))


def _chinese_share(text: str) -> float:
    """The share of Chinese characters among the non-ASCII, non-space characters."""
    total = _count(_NON_ASCII, text)
    return _count(_CHINESE_CHARS, text) / total if total else 0.0


def common_share(text: str) -> float:
    """The share of common Chinese characters among the non-ASCII, non-space characters."""
    total = _count(_NON_ASCII, text)
    return _count(_COMMON_CHARS, text) / total if total else 0.0


@cache
def _plausible() -> re.Pattern[str]:
    """(compiled on first use: only text that may be UTF-16 needs it; its CJK classes take ms to compile)"""
    return re.compile(f"[ -~\t\r\n{_CHINESE}]")


def _plausible_share(text: str) -> float:
    """The share of characters that Chinese text is made of (CJK, ASCII, whitespace)."""
    if not text:
        return 0.0
    good = len(_plausible().findall(text))
    return good / len(text)
