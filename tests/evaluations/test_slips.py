"""The code sheet: a background task makes N codes and an A4 PDF of slips; Chinese text in an embedded
CJK font; every QR code decodes to the answer address of a code that works, and to nothing else."""

import re
import subprocess
from pathlib import Path

import pytest
import zxingcpp
from django.urls import reverse
from PIL import Image

from evaluations.models import Code, SlipBatch
from evaluations.services import usable_code

pytestmark = pytest.mark.django_db

SITE = "http://testserver"


def _request_sheet(client, round_, count, org=None):
    data = {"count": count}
    if org is not None:
        data["target_org"] = org.pk
    return client.post(reverse("evaluations:slip_request", args=[round_.pk]), data)


def _pages(pdf: Path, tmp_path: Path, dpi=150) -> list[Path]:
    subprocess.run(["pdftoppm", "-png", "-r", str(dpi), str(pdf), str(tmp_path / "page")], check=True)
    return sorted(tmp_path.glob("page-*.png"))


def test_a_sheet_of_slips_whose_qr_codes_lead_to_working_codes(login, world, round_, tmp_path):
    client = login(world.users.staff_jy)
    assert _request_sheet(client, round_, 12, world.branch_a).status_code == 302  # the task runs inline in tests
    batch = SlipBatch.objects.get()
    assert batch.status == SlipBatch.Status.DONE, batch.error_message
    assert Code.objects.filter(batch=batch, target_org=world.branch_a, used=False).count() == 12

    download = client.get(reverse("evaluations:slip_download", args=[round_.pk, batch.pk]))
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    pdf = tmp_path / "slips.pdf"
    pdf.write_bytes(b"".join(download.streaming_content))

    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"Noto-Sans-CJK-SC\S*\s.*\syes\s+yes", fonts), fonts  # embedded (subset)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    flat = re.sub(r"\s+", "", text)  # pdftotext breaks lines where the slip does
    assert round_.title in flat and "评议对象：第一中学党支部" in flat and "每码限用一次" in flat

    pages = _pages(pdf, tmp_path)
    assert len(pages) == 2  # ten slips to a page
    urls = []
    for page in pages:
        urls += [r.text for r in zxingcpp.read_barcodes(Image.open(page)) if r.format == zxingcpp.BarcodeFormat.QRCode]
    assert len(urls) == 12 and len(set(urls)) == 12
    printed = set(re.findall(r"\b[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}\b", text))
    assert len(printed) == 12
    for url in urls:
        match = re.fullmatch(rf"{SITE}/evaluations/answer/([2-9A-Z]{{8}})/", url)
        assert match, url
        code = match.group(1)
        assert f"{code[:4]}-{code[4:]}" in printed  # the QR code and the printed code agree
        assert usable_code(code).target_org == world.branch_a
        assert client.get(url.removeprefix(SITE)).status_code == 200  # logged-in staff see it too


def test_codes_exist_in_plaintext_only_in_the_pdf(login, world, round_):
    client = login(world.users.staff_jy)
    _request_sheet(client, round_, 3)
    batch = SlipBatch.objects.get()
    hashes = set(Code.objects.filter(batch=batch).values_list("code_hash", flat=True))
    assert len(hashes) == 3 and all(len(h) == 64 for h in hashes)
    assert batch.pdf_name and not Path(batch.pdf_name).is_absolute()


def test_the_sheet_is_kept_outside_media_and_only_its_round_managers_get_it(login, world, round_, settings):
    client = login(world.users.staff_jy)
    _request_sheet(client, round_, 1)
    batch = SlipBatch.objects.get()
    path = Path(settings.EVALUATION_SLIPS_ROOT) / batch.pdf_name
    assert path.is_file() and Path(settings.MEDIA_ROOT) not in path.parents
    url = reverse("evaluations:slip_download", args=[round_.pk, batch.pk])
    assert login(world.users.secretary_a).get(url).status_code == 404
    assert login(world.users.staff_zjl).get(url).status_code == 404


def test_no_slips_for_a_closed_round_or_beyond_the_limit(login, world, round_):
    client = login(world.users.staff_jy)
    client.post(reverse("evaluations:round_close", args=[round_.pk]))
    page = _request_sheet(client, round_, 5)
    assert page.status_code == 302 and not SlipBatch.objects.exists()
    assert "已结束" in client.get(page["Location"]).content.decode()


def test_progress_answers_while_printing_and_redirects_when_done(login, world, round_):
    batch = SlipBatch.objects.create(round=round_, count=100, site_url=SITE, created_by=world.users.staff_jy)
    client = login(world.users.staff_jy)
    url = reverse("evaluations:slip_progress", args=[round_.pk, batch.pk])
    page = client.get(url)
    assert page.status_code == 200 and "0 / 100" in page.content.decode()
    SlipBatch.objects.filter(pk=batch.pk).update(status=SlipBatch.Status.DONE)
    done = client.get(url)
    assert done.status_code == 204 and done["HX-Refresh"] == "true"
