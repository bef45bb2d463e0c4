"""Document types and their abbreviations (Decree 30/2020/NĐ-CP, Art. 7 and Appendix III)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class DocType:
    code: str  # the abbreviation in the notation ("QĐ"); "CV" for an official letter
    name: str
    # An official letter (công văn) has no type name: its notation is the agency's
    # abbreviation and the drafting unit's (``05/UBND-VP``).
    named: bool = True


_TYPES = [
    DocType("NQ", "Nghị quyết"),
    DocType("QĐ", "Quyết định"),
    DocType("CT", "Chỉ thị"),
    DocType("QC", "Quy chế"),
    DocType("QyĐ", "Quy định"),
    DocType("TC", "Thông cáo"),
    DocType("TB", "Thông báo"),
    DocType("HD", "Hướng dẫn"),
    DocType("CTr", "Chương trình"),
    DocType("KH", "Kế hoạch"),
    DocType("PA", "Phương án"),
    DocType("ĐA", "Đề án"),
    DocType("DA", "Dự án"),
    DocType("BC", "Báo cáo"),
    DocType("BB", "Biên bản"),
    DocType("TTr", "Tờ trình"),
    DocType("HĐ", "Hợp đồng"),
    DocType("CĐ", "Công điện"),
    DocType("BGN", "Bản ghi nhớ"),
    DocType("BTT", "Bản thỏa thuận"),
    DocType("GUQ", "Giấy ủy quyền"),
    DocType("GM", "Giấy mời"),
    DocType("GGT", "Giấy giới thiệu"),
    DocType("GNP", "Giấy nghỉ phép"),
    DocType("PG", "Phiếu gửi"),
    DocType("PC", "Phiếu chuyển"),
    DocType("PB", "Phiếu báo"),
    DocType("SY", "Bản sao y"),
    DocType("TrS", "Bản trích sao"),
    DocType("SL", "Bản sao lục"),
    # Party documents use Party abbreviations; these are the common ones beside the above.
    DocType("KL", "Kết luận"),
    DocType("CV", "Công văn", named=False),
]

TYPES: dict[str, DocType] = {t.code: t for t in _TYPES}
# Compared without case: "qđ" and "QĐ" are the same type when typed by hand or in a package.
_BY_FOLDED = {t.code.casefold(): t for t in _TYPES}


def find(code: str) -> DocType | None:
    return _BY_FOLDED.get(code.strip().casefold())


def choices() -> list[tuple[str, str]]:
    return [(t.code, f"{t.name} ({t.code})") for t in _TYPES]
