from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from .conftest import flat, pdf_text, xlsx_of


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["pdf", "docx", "xlsx", "html"])
def test_render_report_writes_the_same_files(world, campaign, tmp_path, fmt):
    path = tmp_path / f"report.{fmt}"
    out = StringIO()
    call_command(
        "render_report",
        "--org",
        "ZZ",
        "--campaign",
        str(campaign.pk),
        "--from",
        "2026-01-01",
        "--to",
        "2026-06-30",
        "--format",
        fmt,
        "--output",
        str(path),
        "--finalize",
        stdout=out,
    )
    data = path.read_bytes()
    assert "已写入" in out.getvalue()
    sentence = "州直机关工委1个党委、1个总支、3个支部、7名党员参加了本次活动"
    if fmt == "pdf":
        assert sentence in flat(pdf_text(data))
    elif fmt == "html":
        assert sentence in data.decode()
    elif fmt == "xlsx":
        assert xlsx_of(data)["报告信息"]["B2"].value == "州直机关工委"
    else:
        from .conftest import docx_of

        assert any(sentence in p.text for p in docx_of(data).paragraphs)


@pytest.mark.django_db
def test_render_report_refuses_a_campaign_that_does_not_cover_the_org(world, campaign, tmp_path):
    from campaigns.models import Campaign

    other = Campaign.objects.create(
        org=world.zjl, name="街道活动", starts_on=date(2026, 1, 1), ends_on=date(2026, 12, 31)
    )
    with pytest.raises(CommandError, match="不包括|does not cover"):
        call_command(
            "render_report",
            "--org",
            "ZZ",
            "--campaign",
            str(other.pk),
            "--from",
            "2026-01-01",
            "--to",
            "2026-06-30",
            "--format",
            "html",
            "--output",
            str(tmp_path / "x.html"),
        )
