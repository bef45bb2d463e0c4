"""Filling the birth registration's e-form in Chromium, the way a citizen does (labels,
choices, the papers), for the browser tests."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page

from haicap.testing.files import pdf_bytes

CHILD = "Nguyễn Minh An"


def fill_birth_form(page: Page, tmp_path: Path, *, certificate: bool = True) -> None:
    """The e-form's child, mother and father, the certificate uploaded, the ID at the desk."""
    page.get_by_label("Quan hệ với người được khai sinh").select_option("me")
    page.get_by_label("Họ, chữ đệm, tên", exact=True).fill(CHILD)
    page.get_by_label("Giới tính").select_option("nam")
    page.get_by_label("Ngày, tháng, năm sinh", exact=True).fill("2026-11-20")
    page.get_by_label("Sinh tại").select_option("co_so_y_te")
    page.get_by_label("Tên cơ sở khám bệnh, chữa bệnh").fill("Bệnh viện Phụ sản Hà Nội")
    page.get_by_label("Nơi sinh (xã, tỉnh)").fill("Phường Ba Đình, thành phố Hà Nội")
    page.get_by_label("Họ, chữ đệm, tên của mẹ").fill("Hoàng Thị Mai")
    page.get_by_label("Ngày sinh của mẹ").fill("1995-03-08")
    page.get_by_label("Số định danh cá nhân của mẹ").fill("001195003333")
    page.get_by_label("Nơi cư trú của mẹ").fill("12 phố Phan Đình Phùng, Ba Đình, Hà Nội")
    page.get_by_label("Khai thông tin người cha").check()
    page.get_by_label("Họ, chữ đệm, tên của cha").fill("Trần Văn Cường")
    page.get_by_label("Ngày sinh của cha").fill("1992-07-15")
    page.get_by_label("Nơi cư trú của cha").fill("12 phố Phan Đình Phùng, Ba Đình, Hà Nội")
    if certificate:
        path = tmp_path / "giay-chung-sinh.pdf"
        path.write_bytes(pdf_bytes("Giấy chứng sinh"))
        page.get_by_label("Giấy chứng sinh (hoặc văn bản của người làm chứng)").set_input_files(
            str(path)
        )
    page.get_by_label("Tôi sẽ xuất trình tại bộ phận một cửa").check()
