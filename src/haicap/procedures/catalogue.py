"""The procedures `haicap setup` seeds: docs/domain.md#commune-procedures and province ones.

Times and fees follow the legal texts named in each entry; where a figure is our assumption
it says so in ``time_note`` or ``fee_note``. Provinces edit everything in the admin; seeding
only adds procedures whose code is missing, so edits are never overwritten.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from haicap.procedures.models import (
    CompetentTier,
    FeeKind,
    OnlineLevel,
    Procedure,
    ProcessStep,
    RequiredPaper,
    Sector,
    StepRole,
    TimeKind,
)

COMMUNE_PEOPLES_COMMITTEE = "Ủy ban nhân dân cấp xã"

# Process templates: (step name, role, share of the legal time in percent).
SAME_DAY_STEPS = [
    ("Tiếp nhận, kiểm tra hồ sơ", StepRole.RECEIVER, 15),
    ("Thẩm định, trình ký", StepRole.SPECIALIST, 45),
    ("Ký duyệt", StepRole.LEADER, 25),
    ("Vào sổ, trả kết quả", StepRole.CLERK, 15),
]
COMMUNE_STEPS = [
    ("Tiếp nhận, kiểm tra hồ sơ", StepRole.RECEIVER, 10),
    ("Thẩm định, xác minh, trình ký", StepRole.SPECIALIST, 60),
    ("Ký duyệt", StepRole.LEADER, 20),
    ("Vào sổ, trả kết quả", StepRole.CLERK, 10),
]
PROVINCE_STEPS = [
    ("Tiếp nhận tại Trung tâm Phục vụ hành chính công", StepRole.RECEIVER, 5),
    ("Thẩm định tại sở chuyên ngành", StepRole.SPECIALIST, 70),
    ("Lãnh đạo sở ký duyệt", StepRole.LEADER, 15),
    ("Trả kết quả tại Trung tâm", StepRole.CLERK, 10),
]
PROVINCE_STEPS_WITH_TAX = [
    ("Tiếp nhận tại Trung tâm Phục vụ hành chính công", StepRole.RECEIVER, 5),
    ("Thẩm định hồ sơ, đo đạc, kiểm tra thực địa", StepRole.SPECIALIST, 45),
    ("Xác định nghĩa vụ tài chính (cơ quan thuế)", StepRole.OTHER_AGENCY, 25),
    ("Lãnh đạo sở ký duyệt", StepRole.LEADER, 15),
    ("Trả kết quả tại Trung tâm", StepRole.CLERK, 10),
]

CIVIL_STATUS_LAW = "Luật Hộ tịch số 60/2014/QH13; Nghị định số 123/2015/NĐ-CP"

CATALOGUE: list[dict[str, Any]] = [
    {
        "code": "1.001193.000.00.00.H01",
        "name": "Đăng ký khai sinh",
        "sector": Sector.CIVIL_STATUS,
        "tier": CompetentTier.COMMUNE,
        "agency": COMMUNE_PEOPLES_COMMITTEE,
        "time": (
            TimeKind.SAME_DAY,
            0,
            "Trong ngày; nhận sau 15 giờ thì trả trong ngày làm việc tiếp theo",
        ),
        "fee": {"kind": FeeKind.FREE, "note": "Miễn lệ phí khi đăng ký đúng hạn"},
        "online": OnlineLevel.FULL,
        "result": "Giấy khai sinh (bản chính)",
        "basis": CIVIL_STATUS_LAW,
        "anywhere": True,
        "papers": [
            ("Tờ khai đăng ký khai sinh", 1, False),
            ("Giấy chứng sinh (hoặc văn bản của người làm chứng)", 1, True),
            ("Giấy tờ tùy thân của người đi đăng ký", 1, False),
        ],
        "steps": SAME_DAY_STEPS,
    },
    {
        "code": "HCP.HT.002",
        "name": "Đăng ký kết hôn",
        "sector": Sector.CIVIL_STATUS,
        "tier": CompetentTier.COMMUNE,
        "agency": COMMUNE_PEOPLES_COMMITTEE,
        "time": (
            TimeKind.SAME_DAY,
            0,
            "Ngay trong ngày; cần xác minh thì không quá 05 ngày làm việc",
        ),
        "fee": {"kind": FeeKind.FREE, "note": "Miễn lệ phí"},
        "online": OnlineLevel.PARTIAL,
        "result": "Giấy chứng nhận kết hôn",
        "basis": CIVIL_STATUS_LAW,
        "anywhere": True,
        "papers": [
            ("Tờ khai đăng ký kết hôn", 1, False),
            ("Giấy tờ tùy thân của hai bên nam, nữ", 2, False),
        ],
        "steps": SAME_DAY_STEPS,
    },
    {
        "code": "HCP.HT.003",
        "name": "Đăng ký khai tử",
        "sector": Sector.CIVIL_STATUS,
        "tier": CompetentTier.COMMUNE,
        "agency": COMMUNE_PEOPLES_COMMITTEE,
        "time": (
            TimeKind.SAME_DAY,
            0,
            "Trong ngày; nhận sau 15 giờ thì trả trong ngày làm việc tiếp theo",
        ),
        "fee": {"kind": FeeKind.FREE, "note": "Miễn lệ phí khi đăng ký đúng hạn"},
        "online": OnlineLevel.FULL,
        "result": "Trích lục khai tử",
        "basis": CIVIL_STATUS_LAW,
        "anywhere": True,
        "papers": [
            ("Tờ khai đăng ký khai tử", 1, False),
            ("Giấy báo tử hoặc giấy tờ thay thế giấy báo tử", 1, True),
        ],
        "steps": SAME_DAY_STEPS,
    },
    {
        "code": "HCP.HT.004",
        "name": "Cấp Giấy xác nhận tình trạng hôn nhân",
        "sector": Sector.CIVIL_STATUS,
        "tier": CompetentTier.COMMUNE,
        "agency": COMMUNE_PEOPLES_COMMITTEE,
        "time": (TimeKind.WORKING_DAYS, 3, "03 ngày làm việc; cần xác minh thì không quá 23 ngày"),
        "fee": {
            "kind": FeeKind.PROVINCE_SET,
            "amount": 0,
            "note": "Do Hội đồng nhân dân tỉnh quy định",
        },
        "online": OnlineLevel.FULL,
        "result": "Giấy xác nhận tình trạng hôn nhân",
        "basis": CIVIL_STATUS_LAW,
        "anywhere": True,
        "papers": [("Tờ khai cấp Giấy xác nhận tình trạng hôn nhân", 1, False)],
        "steps": COMMUNE_STEPS,
    },
    {
        "code": "HCP.CT.001",
        "name": "Chứng thực bản sao từ bản chính giấy tờ, văn bản",
        "sector": Sector.CERTIFICATION,
        "tier": CompetentTier.COMMUNE,
        "agency": COMMUNE_PEOPLES_COMMITTEE,
        "time": (
            TimeKind.SAME_DAY,
            0,
            "Trong ngày; yêu cầu số lượng lớn thì không quá 02 ngày làm việc thêm",
        ),
        "fee": {
            "kind": FeeKind.PER_PAGE,
            "per_page": 2000,
            "per_page_after": 1000,
            "threshold": 2,
            "cap": 200000,
            "note": "2.000đ/trang; từ trang thứ ba 1.000đ/trang; tối đa 200.000đ/bản",
        },
        "online": OnlineLevel.PARTIAL,
        "result": "Bản sao được chứng thực từ bản chính",
        "basis": "Nghị định số 23/2015/NĐ-CP; Thông tư số 226/2016/TT-BTC",
        "anywhere": True,
        "papers": [("Bản chính giấy tờ, văn bản cần chứng thực", 1, True)],
        "steps": SAME_DAY_STEPS,
    },
    {
        "code": "HCP.CT.002",
        "name": "Chứng thực chữ ký trong các giấy tờ, văn bản",
        "sector": Sector.CERTIFICATION,
        "tier": CompetentTier.COMMUNE,
        "agency": COMMUNE_PEOPLES_COMMITTEE,
        "time": (TimeKind.SAME_DAY, 0, "Trong ngày"),
        "fee": {"kind": FeeKind.FLAT, "amount": 10000, "note": "10.000đ/trường hợp"},
        "online": OnlineLevel.NONE,
        "result": "Giấy tờ, văn bản được chứng thực chữ ký",
        "basis": "Nghị định số 23/2015/NĐ-CP; Thông tư số 226/2016/TT-BTC",
        "anywhere": True,
        "papers": [
            ("Giấy tờ tùy thân của người yêu cầu chứng thực", 1, True),
            ("Giấy tờ, văn bản sẽ ký", 1, True),
        ],
        "steps": SAME_DAY_STEPS,
    },
    {
        "code": "HCP.HT.005",
        "name": "Đăng ký khai sinh kết hợp đăng ký nhận cha, mẹ, con",
        "sector": Sector.CIVIL_STATUS,
        "tier": CompetentTier.COMMUNE,
        "agency": COMMUNE_PEOPLES_COMMITTEE,
        "time": (TimeKind.WORKING_DAYS, 3, "03 ngày làm việc"),
        "fee": {
            "kind": FeeKind.PROVINCE_SET,
            "amount": 0,
            "note": "Do Hội đồng nhân dân tỉnh quy định",
        },
        "online": OnlineLevel.PARTIAL,
        "result": "Giấy khai sinh; Trích lục đăng ký nhận cha, mẹ, con",
        "basis": CIVIL_STATUS_LAW,
        "anywhere": False,
        "papers": [
            ("Tờ khai đăng ký khai sinh, tờ khai nhận cha, mẹ, con", 1, False),
            ("Giấy chứng sinh", 1, True),
            ("Chứng cứ chứng minh quan hệ cha, mẹ, con", 1, False),
        ],
        "steps": COMMUNE_STEPS,
    },
    {
        "code": "HCP.HT.006",
        "name": "Đăng ký lại khai tử",
        "sector": Sector.CIVIL_STATUS,
        "tier": CompetentTier.COMMUNE,
        "agency": COMMUNE_PEOPLES_COMMITTEE,
        "time": (TimeKind.WORKING_DAYS, 5, "05 ngày làm việc; cần xác minh thì không quá 10 ngày"),
        "fee": {"kind": FeeKind.FLAT, "amount": 5000, "note": "5.000đ"},
        "online": OnlineLevel.PARTIAL,
        "result": "Trích lục khai tử (đăng ký lại)",
        "basis": CIVIL_STATUS_LAW,
        "anywhere": False,
        "papers": [
            ("Tờ khai đăng ký lại khai tử", 1, False),
            ("Bản sao Giấy chứng tử trước đây (nếu có)", 1, False),
        ],
        "steps": COMMUNE_STEPS,
    },
    {
        "code": "HCP.CTR.001",
        "name": "Đăng ký tạm trú",
        "sector": Sector.RESIDENCE,
        "tier": CompetentTier.COMMUNE,
        "agency": "Công an cấp xã",
        "time": (TimeKind.WORKING_DAYS, 3, "03 ngày làm việc"),
        "fee": {
            "kind": FeeKind.BY_CHANNEL,
            "amount": 15000,
            "online": 7000,
            "note": "15.000đ trực tiếp; 7.000đ trực tuyến",
        },
        "online": OnlineLevel.FULL,
        "result": "Cập nhật thông tin tạm trú vào Cơ sở dữ liệu về cư trú",
        "basis": "Luật Cư trú số 68/2020/QH14; Thông tư số 75/2022/TT-BTC",
        "anywhere": False,
        "papers": [("Tờ khai thay đổi thông tin cư trú (CT01)", 1, False)],
        "steps": COMMUNE_STEPS,
    },
    {
        "code": "HCP.CTR.002",
        "name": "Đăng ký thường trú",
        "sector": Sector.RESIDENCE,
        "tier": CompetentTier.COMMUNE,
        "agency": "Công an cấp xã",
        "time": (TimeKind.WORKING_DAYS, 7, "07 ngày làm việc (giả định, cần xác nhận)"),
        "fee": {
            "kind": FeeKind.BY_CHANNEL,
            "amount": 20000,
            "online": 10000,
            "note": "20.000đ trực tiếp; 10.000đ trực tuyến",
        },
        "online": OnlineLevel.FULL,
        "result": "Cập nhật thông tin thường trú vào Cơ sở dữ liệu về cư trú",
        "basis": "Luật Cư trú số 68/2020/QH14; Thông tư số 75/2022/TT-BTC",
        "anywhere": False,
        "papers": [
            ("Tờ khai thay đổi thông tin cư trú (CT01)", 1, False),
            ("Giấy tờ chứng minh chỗ ở hợp pháp", 1, False),
        ],
        "steps": COMMUNE_STEPS,
    },
    {
        "code": "HCP.KD.001",
        "name": "Đăng ký thành lập hộ kinh doanh",
        "sector": Sector.BUSINESS,
        "tier": CompetentTier.COMMUNE,
        "agency": COMMUNE_PEOPLES_COMMITTEE,
        "time": (TimeKind.WORKING_DAYS, 3, "03 ngày làm việc"),
        "fee": {
            "kind": FeeKind.PROVINCE_SET,
            "amount": 0,
            "note": "Do Hội đồng nhân dân tỉnh quy định",
        },
        "online": OnlineLevel.FULL,
        "result": "Giấy chứng nhận đăng ký hộ kinh doanh",
        "basis": "Luật Doanh nghiệp số 59/2020/QH14; quy định về đăng ký hộ kinh doanh (thẩm quyền cấp xã từ 01/7/2025)",
        "anywhere": False,
        "papers": [
            ("Giấy đề nghị đăng ký hộ kinh doanh", 1, False),
            ("Bản sao giấy tờ pháp lý của chủ hộ kinh doanh", 1, False),
        ],
        "steps": COMMUNE_STEPS,
    },
    {
        "code": "HCP.XD.001",
        "name": "Cấp giấy phép xây dựng công trình",
        "sector": Sector.CONSTRUCTION,
        "tier": CompetentTier.PROVINCE,
        "agency": "Sở Xây dựng",
        "time": (TimeKind.WORKING_DAYS, 20, "20 ngày kể từ ngày nhận đủ hồ sơ hợp lệ"),
        "fee": {
            "kind": FeeKind.PROVINCE_SET,
            "amount": 150000,
            "note": "Do Hội đồng nhân dân tỉnh quy định",
        },
        "online": OnlineLevel.PARTIAL,
        "result": "Giấy phép xây dựng",
        "basis": "Luật Xây dựng số 50/2014/QH13 (sửa đổi 2020), Điều 102; Nghị định số 15/2021/NĐ-CP",
        "anywhere": True,
        "papers": [
            ("Đơn đề nghị cấp giấy phép xây dựng", 1, False),
            ("Giấy tờ chứng minh quyền sử dụng đất", 1, False),
            ("Hồ sơ thiết kế xây dựng", 2, False),
        ],
        "steps": PROVINCE_STEPS,
    },
    {
        "code": "HCP.DD.001",
        "name": "Cấp Giấy chứng nhận quyền sử dụng đất lần đầu cho tổ chức",
        "sector": Sector.LAND,
        "tier": CompetentTier.PROVINCE,
        "agency": "Sở Nông nghiệp và Môi trường",
        "time": (TimeKind.WORKING_DAYS, 20, "20 ngày làm việc (giả định, cần xác nhận)"),
        "fee": {
            "kind": FeeKind.PROVINCE_SET,
            "amount": 100000,
            "note": "Do Hội đồng nhân dân tỉnh quy định",
        },
        "online": OnlineLevel.PARTIAL,
        "result": "Giấy chứng nhận quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất",
        "basis": "Luật Đất đai số 31/2024/QH15; Nghị định số 101/2024/NĐ-CP",
        "anywhere": False,
        "papers": [
            ("Đơn đăng ký đất đai, tài sản gắn liền với đất", 1, False),
            ("Giấy tờ về quyền sử dụng đất", 1, False),
        ],
        "steps": PROVINCE_STEPS_WITH_TAX,
    },
    {
        "code": "HCP.DN.001",
        "name": "Đăng ký thành lập doanh nghiệp",
        "sector": Sector.BUSINESS,
        "tier": CompetentTier.PROVINCE,
        "agency": "Sở Tài chính (Phòng Đăng ký kinh doanh)",
        "time": (TimeKind.WORKING_DAYS, 3, "03 ngày làm việc"),
        "fee": {
            "kind": FeeKind.BY_CHANNEL,
            "amount": 50000,
            "online": 0,
            "note": "50.000đ; miễn khi đăng ký qua mạng",
        },
        "online": OnlineLevel.FULL,
        "result": "Giấy chứng nhận đăng ký doanh nghiệp",
        "basis": "Luật Doanh nghiệp số 59/2020/QH14",
        "anywhere": True,
        "papers": [
            ("Giấy đề nghị đăng ký doanh nghiệp", 1, False),
            ("Điều lệ công ty", 1, False),
            ("Danh sách thành viên, cổ đông", 1, False),
        ],
        "steps": PROVINCE_STEPS,
    },
    {
        "code": "HCP.TP.001",
        "name": "Cấp Phiếu lý lịch tư pháp",
        "sector": Sector.JUSTICE,
        "tier": CompetentTier.PROVINCE,
        "agency": "Sở Tư pháp",
        "time": (TimeKind.WORKING_DAYS, 10, "10 ngày kể từ ngày nhận yêu cầu hợp lệ"),
        "fee": {"kind": FeeKind.FLAT, "amount": 200000, "note": "200.000đ/lần/người"},
        "online": OnlineLevel.FULL,
        "result": "Phiếu lý lịch tư pháp",
        "basis": "Luật Lý lịch tư pháp số 28/2009/QH12; Thông tư số 244/2016/TT-BTC",
        "anywhere": True,
        "papers": [("Tờ khai yêu cầu cấp Phiếu lý lịch tư pháp", 1, False)],
        "steps": PROVINCE_STEPS,
    },
    {
        "code": "HCP.LD.001",
        "name": "Cấp giấy phép lao động cho người lao động nước ngoài",
        "sector": Sector.LABOUR,
        "tier": CompetentTier.PROVINCE,
        "agency": "Sở Nội vụ",
        "time": (TimeKind.WORKING_DAYS, 10, "10 ngày làm việc (giả định, cần xác nhận)"),
        "fee": {
            "kind": FeeKind.PROVINCE_SET,
            "amount": 0,
            "note": "Do Hội đồng nhân dân tỉnh quy định",
        },
        "online": OnlineLevel.FULL,
        "result": "Giấy phép lao động",
        "basis": "Bộ luật Lao động số 45/2019/QH14",
        "anywhere": False,
        "papers": [
            ("Văn bản đề nghị cấp giấy phép lao động", 1, False),
            ("Giấy chứng nhận sức khỏe", 1, False),
            ("Hộ chiếu (bản sao)", 1, False),
        ],
        "steps": PROVINCE_STEPS,
    },
]


def seed_catalogue() -> int:
    """Add the procedures whose code is missing; returns how many were added."""
    existing = set(Procedure.objects.values_list("code", flat=True))
    added = 0
    with transaction.atomic():
        for entry in CATALOGUE:
            if entry["code"] in existing:
                continue
            time_kind, days, time_note = entry["time"]
            fee = entry["fee"]
            procedure = Procedure.objects.create(
                code=entry["code"],
                name=entry["name"],
                sector=entry["sector"],
                competent_tier=entry["tier"],
                handling_agency=entry["agency"],
                time_kind=time_kind,
                time_days=days,
                time_note=time_note,
                fee_kind=fee["kind"],
                fee_amount=fee.get("amount", 0),
                fee_online=fee.get("online", 0),
                fee_per_page=fee.get("per_page", 0),
                fee_per_page_after=fee.get("per_page_after", 0),
                fee_page_threshold=fee.get("threshold", 0),
                fee_cap=fee.get("cap", 0),
                fee_note=fee.get("note", ""),
                online_level=entry["online"],
                result_paper=entry["result"],
                legal_basis=entry["basis"],
                filing_anywhere=entry["anywhere"],
            )
            RequiredPaper.objects.bulk_create(
                RequiredPaper(
                    procedure=procedure, order=order, name=name, copies=copies, original=original
                )
                for order, (name, copies, original) in enumerate(entry["papers"], start=1)
            )
            ProcessStep.objects.bulk_create(
                ProcessStep(
                    procedure=procedure, order=order, name=name, role=role, share_percent=share
                )
                for order, (name, role, share) in enumerate(entry["steps"], start=1)
            )
            added += 1
    return added
