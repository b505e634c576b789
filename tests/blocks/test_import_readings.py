"""The import_readings command: all rows or none, problems reported by line number."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from blocks.importers import import_readings
from blocks.models import Reading

GOOD = "device,metric,measured_at,value\nroof-1,power,2026-05-01T12:00:00+02:00,3.5\nroof-1,power,2026-05-01T13:00:00,4\n"


def write(tmp_path, text, name="readings.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_imports_rows_and_reports_counts(db, tmp_path, capsys):
    call_command("import_readings", write(tmp_path, GOOD))
    assert Reading.objects.count() == 2
    assert "Imported 2 reading(s) for 1 series (0 already present)." in capsys.readouterr().out


def test_reimport_adds_nothing(db, tmp_path, capsys):
    path = write(tmp_path, GOOD)
    call_command("import_readings", path)
    call_command("import_readings", path)
    assert Reading.objects.count() == 2
    assert "Imported 0 reading(s) for 1 series (2 already present)." in capsys.readouterr().out


def test_malformed_rows_reported_by_line_and_nothing_stored(db, tmp_path, capsys):
    call_command("import_readings", write(tmp_path, GOOD, "first.csv"))
    bad = (
        "device,metric,measured_at,value\n"
        "roof-2,power,2026-05-02T12:00:00,1\n"      # line 2: fine
        "roof-2,power,yesterday,1\n"                # line 3
        "roof-2,power,2026-05-02T13:00:00,lots\n"   # line 4
        ",power,2026-05-02T14:00:00,1\n"            # line 5
        "roof-2,power,2026-05-02T12:00:00,2\n"      # line 6: repeats line 2
        "roof-2,power,2026-05-02T15:00:00,nan\n"    # line 7
    )
    with pytest.raises(CommandError, match=r"5 malformed row\(s\); nothing was imported."):
        call_command("import_readings", write(tmp_path, bad))
    err = capsys.readouterr().err
    assert "line 3: 'yesterday' is not a date and time (ISO 8601)" in err
    assert "line 4: 'lots' is not a number" in err
    assert "line 5: the device is empty" in err
    assert "line 6: repeats the reading on line 2" in err
    assert "line 7: 'nan' is not a finite number" in err
    assert Reading.objects.count() == 2  # only what was there before


def test_a_time_the_clocks_skip_refuses_the_file(db, tmp_path, capsys):
    # Issue 15, kind 7: 02:30 does not exist on 29 March 2026 in Europe/Amsterdam; read as
    # 03:30 it took the place of the real 03:30 reading, which was dropped as "already present".
    spring = (
        "device,metric,measured_at,value\n"
        "g,t,2026-03-29T01:30:00,1\n"   # line 2
        "g,t,2026-03-29T02:30:00,2\n"   # line 3: in the gap
        "g,t,2026-03-29T03:30:00,3\n"   # line 4
    )
    with pytest.raises(CommandError, match=r"1 malformed row\(s\); nothing was imported."):
        call_command("import_readings", write(tmp_path, spring))
    assert (
        "line 3: 2026-03-29 02:30 does not exist in the time zone Europe/Amsterdam: the clocks skip that hour. "
        "Give the time with its UTC offset." in capsys.readouterr().err
    )
    assert Reading.objects.count() == 0


def test_a_time_the_clocks_show_twice_needs_its_offset(db, tmp_path, capsys):
    autumn = "device,metric,measured_at,value\ng,t,2026-10-25T02:30:00,1\n"
    with pytest.raises(CommandError):
        call_command("import_readings", write(tmp_path, autumn))
    assert (
        "line 2: 2026-10-25 02:30 happens twice in the time zone Europe/Amsterdam: the clocks are set back "
        "that night. Give the time with its UTC offset: 2026-10-25T02:30+02:00 or 2026-10-25T02:30+01:00."
        in capsys.readouterr().err
    )
    assert Reading.objects.count() == 0
    # With their offsets, both half past twos are stored, one hour apart.
    both = "device,metric,measured_at,value\ng,t,2026-10-25T02:30:00+02:00,1\ng,t,2026-10-25T02:30:00+01:00,2\n"
    call_command("import_readings", write(tmp_path, both, "both.csv"))
    stored = list(Reading.objects.order_by("measured_at").values_list("measured_at", "value"))
    assert [value for _, value in stored] == [1.0, 2.0]
    assert (stored[1][0] - stored[0][0]).total_seconds() == 3600


def test_missing_columns(db, tmp_path, capsys):
    with pytest.raises(CommandError):
        call_command("import_readings", write(tmp_path, "device,value\nx,1\n"))
    assert "line 1: the header lacks the column(s): metric, measured_at" in capsys.readouterr().err


def test_missing_file_and_binary_file(db, tmp_path):
    with pytest.raises(CommandError, match="No such file"):
        call_command("import_readings", str(tmp_path / "nope.csv"))
    binary = tmp_path / "binary.csv"
    binary.write_bytes(b"\xff\xfe\x00\x81garbage")
    with pytest.raises(CommandError, match="not UTF-8 text"):
        call_command("import_readings", str(binary))
    assert Reading.objects.count() == 0


def test_import_moves_initiative_up_the_home_page(client, make_initiative, tmp_path):
    from tests.conftest import card

    make_initiative(title="Quiet street", cards=[card("news", {"title": "", "items": [
        {"headline": "Planned news", "date": "2029-12-31", "body": "", "image": None, "link": ""}]})])
    make_initiative(title="Solar roof", cards=[card("iot", {"title": "", "device": "roof-9", "metric": "power", "unit": "kW"})])
    before = client.get("/").text
    assert before.index("Quiet street") < before.index("Solar roof")
    # Readings from the future are refused, so the import runs as if it were 2030.
    import_readings(
        ["device,metric,measured_at,value", "roof-9,power,2030-01-01T00:00:00+00:00,1"],
        now=datetime(2030, 1, 1, 0, 1, tzinfo=UTC),
    )
    html = client.get("/").text
    assert html.index("Solar roof") < html.index("Quiet street")


def test_device_names_meet_however_they_were_typed(client, make_initiative, tmp_path):
    # Issue 15, kind 4: the card editor and the CSV store device and metric in one normal
    # form (NFKC, trimmed), so full-width letters or a stray non-breaking space still match.
    from blocks.cards.iot import IoTCardBlock
    from tests.conftest import card

    block = IoTCardBlock()
    assert block.child_blocks["device"].clean("ｒｏｏｆ－１ ") == "roof-1"
    assert block.child_blocks["metric"].clean("\u00a0power") == "power"
    page = make_initiative(cards=[card("iot", {"title": "Yield", "device": "roof-1", "metric": "power", "unit": "kW"})])
    an_hour_ago = (timezone.now() - timedelta(hours=1)).replace(microsecond=0).isoformat()
    csv_text = f"device,metric,measured_at,value\nroof-1\u00a0,ｐｏｗｅｒ,{an_hour_ago},3.5\n"
    call_command("import_readings", write(tmp_path, csv_text))
    assert list(Reading.objects.values_list("device", "metric")) == [("roof-1", "power")]
    html = client.get(page.url).text
    assert "data-sensor-value>3.50</span>" in html
