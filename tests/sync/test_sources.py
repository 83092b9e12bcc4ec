"""Source adapters: agency files and queries into canonical text columns, strictly."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import uuid
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import polars as pl
import psycopg2
import pytest
from psycopg2 import sql
from sqlalchemy import Engine
from sqlalchemy import text as sql_text
from typer.testing import CliRunner

from entities.mapping import IGNORE, load_mapping, resolve_columns
from entities.registry import get_dataset
from mdr.cli.main import app
from mdr.errors import DatabaseUnavailable, InvalidInput
from mdr.settings import get_settings
from sync.sources import (
    _HEAD_CHUNK,
    MAX_UNREADABLE_SHARE,
    READER_BY_LINE,
    READER_POLARS,
    UNREADABLE_MIN,
    UnreadableRow,
    file_sha256,
    read_file,
    read_postgres,
)
from tests.factories import make
from tests.sync.conftest import frame_of

RESIDENT = get_dataset("resident")
HAZARD = get_dataset("hazardous_substance")
ADDRESS = get_dataset("address")

RRN = "0012013234567"  # leading zeros: born 2000, must survive as text
HEADER = (
    "rrn,name,name_hanja,birth_date,sex,address_id,household_id,household_role,"
    "move_in_date,status,status_date,region_code"
)
ROWS = [
    f"{RRN},홍길동,洪吉童,2000-12-01,M,1111010100100010000000001,0000012345,head,"
    "2020-03-01,active,,11110",
    "8501012345678,김영희,,1985-01-01,F,2611010100100020000000002,0000067890,member,,active,,26110",
]


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def resident_csv(
    tmp_path: Path,
    *,
    header: str = HEADER,
    rows: list[str] = ROWS,
    name: str = "resident.csv",
    newline: str = "\n",
    bom: bool = False,
) -> Path:
    text = newline.join([header, *rows]) + newline
    return write(tmp_path / name, ("\ufeff" if bom else "") + text)


def message(exc: pytest.ExceptionInfo[InvalidInput]) -> str:
    text = str(exc.value)
    assert RRN not in text, "error messages must not quote values"
    return text


# --- CSV ------------------------------------------------------------------------------------


def test_utf8_with_bom_gives_canonical_text_columns(tmp_path: Path) -> None:
    path = resident_csv(tmp_path, bom=True)
    src = read_file(RESIDENT, path)
    assert src.frame.columns == list(RESIDENT.field_names)
    assert all(dtype == pl.String for dtype in src.frame.dtypes)
    assert src.frame["rrn"].to_list() == [RRN, "8501012345678"]
    assert src.frame["name"].to_list() == ["홍길동", "김영희"]
    assert src.encoding == "utf-8"
    assert src.path == path.absolute()
    assert src.source == str(path.absolute())
    assert src.extra_columns == ()


def test_sha256_is_of_the_original_bytes(tmp_path: Path) -> None:
    path = resident_csv(tmp_path, bom=True)
    expected = hashlib.sha256(path.read_bytes()).hexdigest()
    assert read_file(RESIDENT, path).sha256 == expected
    assert file_sha256(path) == expected


def test_cp949_with_encoding_matches_utf8(tmp_path: Path) -> None:
    text = "\n".join([HEADER, *ROWS]) + "\n"
    utf8 = read_file(RESIDENT, write(tmp_path / "u.csv", text))
    for given in ("cp949", "euc-kr", "EUC_KR"):
        cp949 = read_file(RESIDENT, write(tmp_path / "k.csv", text, "cp949"), encoding=given)
        assert cp949.frame.equals(utf8.frame)
        assert cp949.encoding == "cp949"
    # the checksum is of the file as delivered, not of its UTF-8 transcoding
    assert cp949.sha256 == hashlib.sha256(text.encode("cp949")).hexdigest()


def test_cp949_without_encoding_says_which_option_to_pass(tmp_path: Path) -> None:
    path = write(tmp_path / "k.csv", "\n".join([HEADER, *ROWS]) + "\n", "cp949")
    with pytest.raises(InvalidInput) as exc:
        read_file(RESIDENT, path)
    text = message(exc)
    assert "not valid UTF-8" in text
    assert "line 2" in text
    assert "--encoding cp949" in text


def test_utf8_accepts_explicit_spellings(tmp_path: Path) -> None:
    path = resident_csv(tmp_path, bom=True)
    for given in ("utf-8", "utf8", "utf-8-sig", "UTF-8"):
        assert read_file(RESIDENT, path, encoding=given).encoding == "utf-8"
    with pytest.raises(InvalidInput, match="starts with a UTF-8 byte-order mark"):
        read_file(RESIDENT, path, encoding="cp949")
    with pytest.raises(InvalidInput, match="unsupported encoding 'latin-1'"):
        read_file(RESIDENT, path, encoding="latin-1")
    utf16 = write(tmp_path / "u16.csv", "\ufeff" + HEADER + "\n", "utf-16-le")
    with pytest.raises(InvalidInput, match="is UTF-16"):
        read_file(RESIDENT, utf16)


def test_values_stay_text_with_leading_zeros(tmp_path: Path) -> None:
    rows = [
        "0000000000001,가,,0001-01-01,M,0000000000000000000000001,000,head,,active,,00100",
        "0012013234567,나,,2000-12-01,F,1111010100100010000000001,1.50,head,,active,,1e3",
    ]
    frame = read_file(RESIDENT, resident_csv(tmp_path, rows=rows)).frame
    assert frame.row(0, named=True)["rrn"] == "0000000000001"
    assert frame["household_id"].to_list() == ["000", "1.50"]
    assert frame["region_code"].to_list() == ["00100", "1e3"]
    assert frame["birth_date"].to_list() == ["0001-01-01", "2000-12-01"]


def test_whitespace_is_stripped_and_empty_is_null(tmp_path: Path) -> None:
    rows = [
        f'  {RRN} ,"  홍길동  ",   ,2000-12-01,\tM\t,1111010100100010000000001,1,head,"",'
        "active,\u3000,11110",
    ]
    frame = read_file(RESIDENT, resident_csv(tmp_path, rows=rows)).frame
    row = frame.row(0, named=True)
    assert row["rrn"] == RRN
    assert row["name"] == "홍길동"
    assert row["sex"] == "M"
    assert row["name_hanja"] is None  # blanks only
    assert row["move_in_date"] is None  # quoted empty
    assert row["status_date"] is None  # ideographic space only


def test_quoted_fields_embedded_separators_and_crlf(tmp_path: Path) -> None:
    rows = [
        f'{RRN},"홍, 길동","첫 줄\r\n둘째 줄",2000-12-01,M,1111010100100010000000001,'
        '"say ""hi""",head,,active,,11110',
        ROWS[1],
    ]
    src = read_file(RESIDENT, resident_csv(tmp_path, rows=rows, newline="\r\n"))
    assert src.frame.height == 2
    row = src.frame.row(0, named=True)
    assert row["name"] == "홍, 길동"
    assert row["name_hanja"] == "첫 줄\r\n둘째 줄"
    assert row["household_id"] == 'say "hi"'
    assert row["region_code"] == "11110"  # no stray carriage return
    assert src.frame["region_code"][1] == "26110"


def test_trailing_blank_lines_are_no_rows(tmp_path: Path) -> None:
    path = write(tmp_path / "r.csv", "\r\n".join([HEADER, *ROWS]) + "\r\n\r\n\n")
    assert read_file(RESIDENT, path).frame.height == 2


def test_header_matches_by_normalised_name(tmp_path: Path) -> None:
    header = (
        "RRN, Name ,Name-Hanja,BIRTH DATE,sex,Address_ID,householdId,household role,"
        "move in date,Status,status.date,REGION_CODE"
    )
    src = read_file(RESIDENT, resident_csv(tmp_path, header=header))
    assert src.frame.columns == list(RESIDENT.field_names)
    assert src.frame["name"].to_list() == ["홍길동", "김영희"]
    assert src.frame["household_id"].to_list() == ["0000012345", "0000067890"]


def test_header_record_spanning_lines(tmp_path: Path) -> None:
    header = HEADER.replace("birth_date", '"birth\ndate"')
    src = read_file(RESIDENT, resident_csv(tmp_path, header=header, bom=True))
    assert src.frame["birth_date"].to_list() == ["2000-12-01", "1985-01-01"]
    assert src.frame["rrn"].to_list() == [RRN, "8501012345678"]
    src = read_file(RESIDENT, resident_csv(tmp_path, header=header, rows=[ROWS[0], "x,y"]))
    assert src.unreadable == (
        UnreadableRow(row=1, line=4, reason="has 2 fields, the header has 12", text="x,y"),
    )


def test_header_only_file_has_no_rows(tmp_path: Path) -> None:
    for text in (HEADER, HEADER + "\n", HEADER + "\r\n\r\n"):
        src = read_file(RESIDENT, write(tmp_path / "h.csv", text))
        assert src.frame.height == 0
        assert src.frame.columns == list(RESIDENT.field_names)
        assert all(dtype == pl.String for dtype in src.frame.dtypes)


def test_file_without_header_is_rejected(tmp_path: Path) -> None:
    for text in ("", "\ufeff", "\n" + HEADER + "\n"):
        with pytest.raises(InvalidInput, match="has no header row"):
            read_file(RESIDENT, write(tmp_path / "e.csv", text))


def test_optional_missing_column_becomes_null_column(tmp_path: Path) -> None:
    header = HEADER.replace("name_hanja,", "").replace("move_in_date,", "")
    rows = [
        f"{RRN},홍길동,2000-12-01,M,1111010100100010000000001,0000012345,head,active,,11110",
    ]
    src = read_file(RESIDENT, resident_csv(tmp_path, header=header, rows=rows))
    assert src.frame.columns == list(RESIDENT.field_names)
    assert src.frame["name_hanja"].to_list() == [None]
    assert src.frame["move_in_date"].dtype == pl.String
    assert src.frame["rrn"].to_list() == [RRN]


def test_missing_required_column_is_named_before_rows_are_read(tmp_path: Path) -> None:
    header = HEADER.replace(",name,", ",").replace(",sex,", ",")
    # the rows are ragged and not even UTF-8: the header check must come first
    path = write(tmp_path / "r.csv", header + "\n" + f"{RRN},\xff\xfe\n", "latin-1")
    with pytest.raises(InvalidInput) as exc:
        read_file(RESIDENT, path)
    text = message(exc)
    assert "missing required columns: name, sex;" in text
    assert "the file has: rrn, name_hanja, birth_date" in text
    assert "unknown" not in text
    assert exc.value.extra["missing"] == ["name", "sex"]


def test_unknown_column_is_an_error(tmp_path: Path) -> None:
    header = HEADER + ",비고,memo"
    rows = [row + ",x,y" for row in ROWS]
    with pytest.raises(InvalidInput) as exc:
        read_file(RESIDENT, resident_csv(tmp_path, header=header, rows=rows))
    text = message(exc)
    assert "unknown columns: 비고, memo; map them with --mapping or remove them" in text
    assert "missing" not in text


def test_unknown_column_gets_a_suggested_mapping(tmp_path: Path) -> None:
    header = HEADER.replace("rrn,", "주민등록번호,")
    with pytest.raises(InvalidInput) as exc:
        read_file(RESIDENT, resident_csv(tmp_path, header=header))
    text = message(exc)
    assert "missing required columns: rrn" in text
    assert "unknown columns: 주민등록번호" in text
    assert "suggested mapping: 주민등록번호: rrn" in text


def test_duplicate_and_unnamed_header_columns_are_rejected(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="duplicate column names: name"):
        read_file(RESIDENT, resident_csv(tmp_path, header=HEADER + ", name ", rows=[]))
    with pytest.raises(InvalidInput, match="column 13 of the header has no name"):
        read_file(RESIDENT, resident_csv(tmp_path, header=HEADER + ",", rows=[]))
    with pytest.raises(InvalidInput, match="columns 'rrn' and 'RRN' both map to field 'rrn'"):
        read_file(RESIDENT, resident_csv(tmp_path, header=HEADER + ",RRN", rows=[]))


@pytest.mark.parametrize(
    ("bad", "reason"),
    [
        (f"{RRN},홍길동,,2000-12-01,M", "has 5 fields, the header has 12"),  # polars pads it
        (ROWS[0] + ",extra", "has 13 fields, the header has 12"),  # polars refuses it
        ("", "is empty"),  # blank line inside the data
    ],
)
def test_ragged_row_is_set_aside_with_its_row_and_line(
    tmp_path: Path, bad: str, reason: str
) -> None:
    # a quoted separator and line break before the bad row must not shift the count
    rows = [ROWS[1], f'{RRN},"two,\nlines",,2000-12-01,M,1,2,head,,active,,11110', bad, ROWS[1]]
    src = read_file(RESIDENT, resident_csv(tmp_path, rows=rows))
    assert src.reader == READER_BY_LINE
    assert src.unreadable == (
        UnreadableRow(row=2, line=5, reason=reason, text=bad, blank=not bad),
    )
    # the rows around it, numbered as the file numbers them
    assert src.frame["rrn"].to_list() == ["8501012345678", RRN, "8501012345678"]
    assert src.frame["name"][1] == "two,\nlines"
    assert src.row_numbers is not None
    assert src.row_numbers.to_list() == [0, 1, 3]


def test_ragged_first_row_and_broken_quote_on_the_last(tmp_path: Path) -> None:
    rows = [f"{RRN},홍길동", ROWS[1], ROWS[1], f'{RRN},"홍길동,,,']
    src = read_file(RESIDENT, resident_csv(tmp_path, rows=rows))
    assert [(u.row, u.line, u.reason) for u in src.unreadable] == [
        (0, 2, "has 2 fields, the header has 12"),
        (3, 5, "opens a quoted value it does not close (read as ending with the line)"),
    ]
    assert src.frame["rrn"].to_list() == ["8501012345678", "8501012345678"]


def test_pipe_separated_txt(tmp_path: Path) -> None:
    text = "\n".join(line.replace(",", "|") for line in [HEADER, *ROWS]) + "\n"
    src = read_file(RESIDENT, write(tmp_path / "resident.txt", text))
    assert src.frame["rrn"].to_list() == [RRN, "8501012345678"]
    assert src.frame["household_role"].to_list() == ["head", "member"]


def test_row_order_is_preserved(tmp_path: Path) -> None:
    keys = [f"{(i * 7919) % 10_000:013d}" for i in range(5_000)]
    rows = [f"{k},이름{i},,1990-01-01,F,1,2,head,,active,,11110" for i, k in enumerate(keys)]
    frame = read_file(RESIDENT, resident_csv(tmp_path, rows=rows)).frame
    assert frame["rrn"].to_list() == keys
    assert frame["name"].to_list() == [f"이름{i}" for i in range(5_000)]


def test_file_not_found_unknown_extension_and_directory(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match=r"file not found: .*nope\.csv"):
        read_file(RESIDENT, tmp_path / "nope.csv")
    path = resident_csv(tmp_path, name="resident.xlsx")
    # `mdr sync run` has no format option: the message says to rename the file
    rename = r"the format is taken from the extension: name a CSV file \*\.csv"
    with pytest.raises(InvalidInput, match=rf"unknown file extension '\.xlsx'; {rename}"):
        read_file(RESIDENT, path)
    for bare in (Path(os.devnull), resident_csv(tmp_path, name="resident")):
        with pytest.raises(InvalidInput, match=rf"no file extension; {rename}"):
            read_file(RESIDENT, bare)
    assert read_file(RESIDENT, path, file_format="csv").frame.height == 2
    with pytest.raises(InvalidInput, match=r"unknown file format 'json'; expected csv or parquet$"):
        read_file(RESIDENT, path, file_format="json")
    (tmp_path / "drop").mkdir()
    for given in (None, "csv"):
        with pytest.raises(InvalidInput, match="drop is a directory, not a file"):
            read_file(RESIDENT, tmp_path / "drop", file_format=given)


# CR-only line endings (Excel's "CSV (Macintosh)"); a quoted value spans two lines
MAC_ROWS = [
    ROWS[0],
    f'{RRN[:-1]}8,"홍, 길동","첫 줄\r둘째 줄",2000-12-01,M,1,2,head,,active,,11110',
    ROWS[1],
]


@pytest.mark.parametrize("encoding", ["utf-8", "cp949"])
def test_classic_mac_line_endings_read_like_lf(tmp_path: Path, encoding: str) -> None:
    lf = write(tmp_path / "lf.csv", "\n".join([HEADER, *MAC_ROWS]) + "\n", encoding)
    mac = write(tmp_path / "mac.csv", "\r".join([HEADER, *MAC_ROWS]) + "\r", encoding)
    original = mac.read_bytes()
    expected = read_file(RESIDENT, lf, encoding=encoding).frame
    src = read_file(RESIDENT, mac, encoding=encoding)
    assert src.frame.height == 3
    # line breaks are LF, inside quoted values too
    assert src.frame.equals(expected.with_columns(pl.col("name_hanja").str.replace("\r", "\n")))
    assert src.frame["name_hanja"][1] == "첫 줄\n둘째 줄"
    # the translation is for parsing only: the file to archive and its checksum are as sent
    assert mac.read_bytes() == original
    assert src.path == mac.absolute()
    assert src.sha256 == hashlib.sha256(original).hexdigest()


def test_classic_mac_line_endings_header_only_ragged_and_no_final_break(tmp_path: Path) -> None:
    assert read_file(RESIDENT, write(tmp_path / "h.csv", HEADER + "\r")).frame.height == 0
    # a quoted value spans two lines of a short row: one data row set aside, both lines
    rows = [ROWS[1], f'{RRN},"two\rlines",,2000-12-01,M', ROWS[1]]
    src = read_file(RESIDENT, write(tmp_path / "r.csv", "\r".join([HEADER, *rows])))
    assert src.unreadable == (UnreadableRow(
        row=1, line=3, reason="has 5 fields, the header has 12",
        text=f'{RRN},"two\nlines",,2000-12-01,M'),)
    assert src.frame["rrn"].to_list() == ["8501012345678", "8501012345678"]
    assert src.row_numbers is not None
    assert src.row_numbers.to_list() == [0, 2]
    path = write(tmp_path / "n.csv", "\r".join([HEADER, *ROWS]))  # no break after the last row
    assert read_file(RESIDENT, path).frame["rrn"].to_list() == [RRN, "8501012345678"]


def test_crlf_split_between_reads_of_the_header_is_not_a_bare_cr(tmp_path: Path) -> None:
    # the header's CR is the last byte of the first read and its LF the first of the next
    header = HEADER + " " * (_HEAD_CHUNK - 1 - len(HEADER))
    path = resident_csv(tmp_path, header=header, newline="\r\n")
    assert path.read_bytes()[_HEAD_CHUNK - 1 : _HEAD_CHUNK + 1] == b"\r\n"
    assert read_file(RESIDENT, path).frame["rrn"].to_list() == [RRN, "8501012345678"]


# Quotes inside unquoted fields (an inch mark, a typo), beside properly quoted fields
STRAY_QUOTES = [
    f'{RRN},김"은영,,2000-12-01,M,1111010100100010000000001,1/2" 파이프,head,,active,,11110',
    ROWS[1],
    '8001011234567, 박"서준 ,"홍, 길동",1980-01-01,M,1,x"y"z,member,,active,"",11110',
]
# The same values written as RFC 4180 wants them, which polars reads itself
WELL_QUOTED = [
    f'{RRN},"김""은영",,2000-12-01,M,1111010100100010000000001,"1/2"" 파이프",head,,active,,11110',
    ROWS[1],
    '8001011234567," 박""서준 ","홍, 길동",1980-01-01,M,1,"x""y""z",member,,active,"",11110',
]


@pytest.mark.parametrize(
    ("encoding", "newline", "bom", "separator"),
    [
        ("utf-8", "\n", False, ","),
        ("utf-8", "\r\n", True, ","),
        ("utf-8", "\r", False, "|"),
        ("cp949", "\r\n", False, ","),
    ],
)
def test_stray_quote_in_unquoted_field_keeps_every_row(
    tmp_path: Path, encoding: str, newline: str, bom: bool, separator: str
) -> None:
    def csv_file(name: str, rows: list[str]) -> Path:
        text = newline.join([HEADER, *rows]).replace(",", separator) + newline
        return write(tmp_path / name, ("\ufeff" if bom else "") + text, encoding)

    given = None if encoding == "utf-8" else encoding
    frame = read_file(RESIDENT, csv_file("stray.csv", STRAY_QUOTES), encoding=given).frame
    assert frame.equals(read_file(RESIDENT, csv_file("ok.csv", WELL_QUOTED), encoding=given).frame)
    assert frame["name"].to_list() == ['김"은영', "김영희", '박"서준']
    assert frame["household_id"].to_list() == ['1/2" 파이프', "0000067890", 'x"y"z']
    assert frame["name_hanja"].to_list() == [None, None, f"홍{separator} 길동"]
    assert frame["move_in_date"].to_list() == [None, None, None]
    assert frame["status_date"].to_list() == [None, None, None]


def test_line_by_line_reading_only_for_what_polars_rejects(tmp_path: Path) -> None:
    src = read_file(RESIDENT, resident_csv(tmp_path, rows=WELL_QUOTED))
    assert (src.reader, src.frame.height) == (READER_POLARS, 3)  # normal files: one read
    src = read_file(RESIDENT, resident_csv(tmp_path, rows=STRAY_QUOTES))
    assert (src.reader, src.frame.height, src.unreadable) == (READER_BY_LINE, 3, ())
    assert src.row_numbers is None  # no row set aside: row i is data row i


def test_unreadable_quoting_is_set_aside_with_its_row_and_line(tmp_path: Path) -> None:
    # a field that opens with a quote but goes on after the closing one: no guess is made
    rows = [*STRAY_QUOTES, f'{RRN},"김" 은영,,2000-12-01,M,1,2,head,,active,,11110', ROWS[1]]
    src = read_file(RESIDENT, resident_csv(tmp_path, rows=rows))
    (bad,) = src.unreadable
    assert (bad.row, bad.line) == (3, 5)
    assert bad.reason.startswith("has malformed quoting (")
    assert 'a quote inside it is doubled ("")' in bad.reason
    assert RRN not in bad.reason  # reasons name no value
    assert src.frame["household_id"].to_list() == ['1/2" 파이프', "0000067890", 'x"y"z',
                                                   "0000067890"]


# --- lines that cannot be read as rows ------------------------------------------------------

# (encoding, newline, BOM, separator): the forms of CSV the agencies send
FORMATS = [
    ("utf-8", "\n", False, ","),
    ("utf-8", "\r\n", True, ","),
    ("utf-8", "\r", False, ","),  # classic Mac
    ("cp949", "\r\n", False, ","),
    ("utf-8", "\n", False, "|"),
]
BAD_BYTE = "\ue000"  # written as a byte no encoding here accepts


def csv_bytes(rows: list[str], encoding: str, newline: str, bom: bool, separator: str) -> bytes:
    """A file of ``rows``; BAD_BYTE is written as the byte 0xFF, valid in neither encoding."""
    text = newline.join([HEADER, *rows]).replace(",", separator) + newline
    text = ("\ufeff" if bom else "") + text
    return b"\xff".join(part.encode(encoding) for part in text.split(BAD_BYTE))


@pytest.mark.parametrize(("encoding", "newline", "bom", "separator"), FORMATS)
def test_a_good_file_is_read_by_polars_in_one_go(
    tmp_path: Path, encoding: str, newline: str, bom: bool, separator: str
) -> None:
    given = None if encoding == "utf-8" else encoding
    # quoted separators and doubled quotes are all polars reads
    path = tmp_path / "good.csv"
    path.write_bytes(csv_bytes([ROWS[0], *WELL_QUOTED], encoding, newline, bom, separator))
    src = read_file(RESIDENT, path, encoding=given)
    assert src.reader == READER_POLARS  # not the line-by-line fallback
    assert (src.frame.height, src.unreadable, src.row_numbers) == (4, (), None)
    # a value spanning lines might be a quote left open: the line reader reads it the same
    multi = f'{RRN[:-1]}8,"홍, 길동","첫 줄{newline}둘째 줄",2000-12-01,M,1,2,head,,active,,11110'
    path.write_bytes(csv_bytes([ROWS[0], multi, *WELL_QUOTED], encoding, newline, bom, separator))
    src = read_file(RESIDENT, path, encoding=given)
    assert (src.reader, src.frame.height, src.unreadable) == (READER_BY_LINE, 5, ())
    kept = "\n" if newline == "\r" else newline  # classic Mac breaks are read as LF
    assert src.frame["name_hanja"][1] == f"첫 줄{kept}둘째 줄"


@pytest.mark.parametrize(("encoding", "newline", "bom", "separator"), FORMATS)
def test_unreadable_lines_are_set_aside_and_the_rest_read(
    tmp_path: Path, encoding: str, newline: str, bom: bool, separator: str
) -> None:
    multi = f'{RRN[:-1]}8,"홍, 길동","첫 줄{newline}둘째 줄",2000-12-01,M,1,2,head,,active,,11110'
    good = [ROWS[0], multi, WELL_QUOTED[0], ROWS[1], WELL_QUOTED[2], STRAY_QUOTES[0], ROWS[1]]
    bad = [
        (f"{RRN},홍길동,,2000-12-01,M", "has 5 fields, the header has 12"),
        (ROWS[1] + ",x,y", "has 14 fields, the header has 12"),
        # an unbalanced quote in the middle: the next line reads as a row, so the broken
        # value ends with its line
        (f'{RRN},"홍길동,,2000-12-01,M,1,2,head,,active,,11110',
         "opens a quoted value it does not close (read as ending with the line)"),
        (ROWS[1].replace("김영희", "김\x00희"), "holds a NUL byte (a damaged line)"),
        (ROWS[1].replace("김영희", f"김{BAD_BYTE}희"), "is not valid "),
    ]
    rows = [good[0], good[1], bad[0][0], good[2], bad[1][0], good[3], bad[2][0], good[4],
            bad[3][0], bad[4][0], good[5], good[6]]
    path = tmp_path / "bad.csv"
    path.write_bytes(csv_bytes(rows, encoding, newline, bom, separator))
    given = None if encoding == "utf-8" else encoding
    src = read_file(RESIDENT, path, encoding=given)
    assert src.reader == READER_BY_LINE
    # data rows 2, 4, 6, 8 and 9, on lines one further than the row (the header) and one
    # more after the value spanning two lines
    assert [(u.row, u.line) for u in src.unreadable] == [(2, 5), (4, 7), (6, 9), (8, 11),
                                                         (9, 12)]
    for (_, reason), found in zip(bad, src.unreadable, strict=True):
        assert found.reason.startswith(reason)
        assert RRN not in found.reason and "김" not in found.reason
        assert not found.blank
    at = len(f"8501012345678{separator}김".encode(encoding)) + 1
    assert src.unreadable[4].reason.endswith(f"(first bad byte at byte {at} of the line)")
    assert src.unreadable[3].text == ROWS[1].replace("김영희", "김\ufffd희").replace(",", separator)
    # the good rows are read as a file of them alone is, and keep their data rows
    alone = tmp_path / "alone.csv"
    alone.write_bytes(csv_bytes(good, encoding, newline, bom, separator))
    assert src.frame.equals(read_file(RESIDENT, alone, encoding=given).frame)
    assert src.row_numbers is not None
    assert src.row_numbers.to_list() == [0, 1, 3, 5, 7, 10, 11]


def test_a_broken_quote_before_a_line_that_is_no_row_ends_with_its_line(tmp_path: Path) -> None:
    # the value opened on line 3 would run to the end of the file: it ends with its line,
    # and the lines after it are read on their own
    broken = f'{RRN},"홍길동,,2000-12-01,M,1,2,head,,active,,11110'
    src = read_file(RESIDENT, resident_csv(tmp_path, rows=[ROWS[0], broken, "x,y", ROWS[1]]))
    assert [(u.row, u.line, u.reason) for u in src.unreadable] == [
        (1, 3, "opens a quoted value it does not close (read as ending with the line)"),
        (2, 4, "has 2 fields, the header has 12"),
    ]
    assert src.frame["rrn"].to_list() == [RRN, "8501012345678"]
    assert src.row_numbers is not None
    assert src.row_numbers.to_list() == [0, 3]


def test_a_quote_left_open_is_not_closed_by_a_stray_quote_rows_later(tmp_path: Path) -> None:
    # polars reads lines 3 to 5 as one row: the value opened on line 3 closed by the inch
    # mark on line 5, in the same column. The line after the open quote reads as a row of
    # its own, so the open value ends with its line instead.
    rows = [ROWS[0], f'{RRN},"홍길동,,2000-12-01,M,1,2,head,,active,,11110', ROWS[1],
            '8001011234567,김 1/2",,1980-01-01,M,1,2,head,,active,,11110', ROWS[1]]
    src = read_file(RESIDENT, resident_csv(tmp_path, rows=rows))
    assert [(u.row, u.line, u.reason) for u in src.unreadable] == [
        (1, 3, "opens a quoted value it does not close (read as ending with the line)")]
    assert src.frame["rrn"].to_list() == [RRN, "8501012345678", "8001011234567",
                                          "8501012345678"]
    assert src.frame["name"][2] == '김 1/2"'


def test_a_delta_file_sets_aside_its_unreadable_lines(tmp_path: Path) -> None:
    rows = [ROWS[0] + ",end", ROWS[1], ROWS[1] + ",upsert"]
    src = read_file(RESIDENT, resident_csv(tmp_path, header=HEADER + ",_op", rows=rows),
                    extra_allowed=("_op",))
    assert [(u.row, u.line, u.reason) for u in src.unreadable] == [
        (1, 3, "has 12 fields, the header has 13")]
    assert src.frame["_op"].to_list() == ["end", "upsert"]
    assert src.row_numbers is not None
    assert src.row_numbers.to_list() == [0, 2]


def test_a_mostly_unreadable_file_is_refused_whole(tmp_path: Path) -> None:
    def with_bad(total: int, bad: int) -> Path:
        rows = [f"{i:013d},이름,,1990-01-01,F,1,2,head,,active,,11110" for i in range(total)]
        for i in range(bad):
            rows[2 * i + 1] = f"{i:013d},이름"  # lines 3, 5, 7, ...
        return resident_csv(tmp_path, rows=rows)

    # more than the share of the data rows, and at least UNREADABLE_MIN of them: refused
    total = 1000
    allowed = int(MAX_UNREADABLE_SHARE * total)
    assert allowed >= UNREADABLE_MIN
    with pytest.raises(InvalidInput) as exc:
        read_file(RESIDENT, with_bad(total, allowed + 1))
    text = message(exc)
    assert f"{allowed + 1} of 1,000 data rows (1.1%) cannot be read, on lines 3, 5, 7, 9, " \
           "11, ... (line 3 has 2 fields, the header has 12): a broken export" in text
    assert "the file is refused whole and nothing is applied" in text
    assert exc.value.extra["lines"] == [3, 5, 7, 9, 11]
    assert exc.value.extra["unreadable"] == allowed + 1
    # at the share: the bad rows are set aside, the others read
    src = read_file(RESIDENT, with_bad(total, allowed))
    assert (len(src.unreadable), src.frame.height) == (allowed, total - allowed)
    # fewer than UNREADABLE_MIN, however large a share: set aside
    src = read_file(RESIDENT, with_bad(2 * UNREADABLE_MIN, UNREADABLE_MIN - 1))
    assert len(src.unreadable) == UNREADABLE_MIN - 1
    # ... unless no row at all can be read
    with pytest.raises(InvalidInput, match=r"2 of 2 data rows \(100.0%\) cannot be read"):
        read_file(RESIDENT, resident_csv(tmp_path, rows=["x,y", "x"]))


def test_a_cp949_file_read_as_utf8_is_refused_once_enough_lines_are_bad(tmp_path: Path) -> None:
    rows = [f"{i:013d},이름{i},,1990-01-01,F,1,2,head,,active,,11110" for i in range(1500)]
    path = write(tmp_path / "k.csv", "\n".join([HEADER, *rows]) + "\n", "cp949")
    with pytest.raises(InvalidInput) as exc:
        read_file(RESIDENT, path)
    text = message(exc)
    # more than 1% of 1,500 lines: enough to refuse, so the other lines are not looked at
    assert exc.value.extra["unreadable"] == 16
    assert "at least 16 of 1,500 lines (over 1.1%) cannot be read, on lines 2, 3, 4, 5, 6, " \
           "... (line 2 is not valid UTF-8 (first bad byte at byte 15 of the line))" in text
    assert text.endswith("pass --encoding cp949")
    assert read_file(RESIDENT, path, encoding="cp949").frame.height == 1500


# --- Parquet --------------------------------------------------------------------------------


def test_parquet_typed_columns_become_canonical_text(tmp_path: Path) -> None:
    typed = pl.DataFrame(
        {
            "cas_no": ["0007732-18-5", "64-17-5"],
            "name_ko": [" 물 ", "에탄올"],
            "name_en": ["water", ""],
            "un_number": [None, 1170],  # an identifier an agency stored as a number
            "threshold_kg": [Decimal("1.50"), Decimal("200.00")],
            "content_threshold_pct": [25.5, float("nan")],
            "hazard_class": ["toxic", "flammable"],
            "designated_date": [dt.date(2001, 2, 3), dt.date(1999, 12, 31)],
            "status": ["active", "active"],
            "status_date": [dt.datetime(2020, 1, 1), None],  # a date stored as a timestamp
        }
    )
    path = tmp_path / "hazard.parquet"
    typed.write_parquet(path)
    src = read_file(HAZARD, path)
    assert src.frame.columns == list(HAZARD.field_names)
    assert all(dtype == pl.String for dtype in src.frame.dtypes)
    assert src.frame.to_dicts()[0] == {
        "cas_no": "0007732-18-5",
        "name_ko": "물",
        "name_en": "water",
        "formula": None,
        "hazard_class": "toxic",
        "un_number": None,
        "threshold_kg": "1.50",
        "content_threshold_pct": "25.5",
        "notice_no": None,
        "designated_date": "2001-02-03",
        "status": "active",
        "status_date": "2020-01-01",
    }
    second = src.frame.row(1, named=True)
    assert (second["un_number"], second["name_en"], second["content_threshold_pct"]) == (
        "1170",
        None,
        None,
    )
    assert src.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert src.encoding is None


def test_parquet_integers_booleans_and_whole_floats(tmp_path: Path) -> None:
    row = dict.fromkeys(ADDRESS.field_names, "x")
    typed = pl.DataFrame([row, row]).with_columns(
        building_main_no=pl.Series([12, 7], dtype=pl.Int32),
        building_sub_no=pl.Series([0.0, None]),  # pandas stores nullable integers as floats
        underground=pl.Series([True, False]),
        postal_code=pl.Series(["03154", "00001"]),
    )
    path = tmp_path / "address.pq"
    typed.write_parquet(path)
    frame = read_file(ADDRESS, path).frame
    assert frame["building_main_no"].to_list() == ["12", "7"]
    assert frame["building_sub_no"].to_list() == ["0", None]
    assert frame["underground"].to_list() == ["true", "false"]
    assert frame["postal_code"].to_list() == ["03154", "00001"]


def test_parquet_resolution_and_bad_files(tmp_path: Path) -> None:
    path = tmp_path / "r.parquet"
    pl.DataFrame({"RRN": [RRN], "memo": ["x"]}).write_parquet(path)
    with pytest.raises(InvalidInput) as exc:
        read_file(RESIDENT, path)
    text = message(exc)
    assert "missing required columns: name, birth_date" in text
    assert "unknown columns: memo" in text
    broken = write(tmp_path / "broken.parquet", "not parquet")
    with pytest.raises(InvalidInput, match="not a readable Parquet file"):
        read_file(RESIDENT, broken)
    with pytest.raises(InvalidInput, match="applies to CSV files only"):
        read_file(RESIDENT, path, encoding="cp949")


# --- mapping --------------------------------------------------------------------------------


def test_flat_mapping_renames_columns(tmp_path: Path) -> None:
    header = HEADER.replace("rrn,", "주민번호,").replace(",name,", ",성명,")
    mapping_file = write(tmp_path / "m.yaml", "주민번호: rrn\n성명: name\n")
    mapping = load_mapping(mapping_file, spec=RESIDENT)
    assert mapping == {"주민번호": "rrn", "성명": "name"}
    src = read_file(RESIDENT, resident_csv(tmp_path, header=header), mapping=mapping)
    assert src.frame["rrn"].to_list() == [RRN, "8501012345678"]
    assert src.frame["name"].to_list() == ["홍길동", "김영희"]


def test_mapping_with_ignore_drops_and_reports_columns(tmp_path: Path) -> None:
    header = HEADER.replace("rrn,", "주민번호,") + ",비고,담당자"
    rows = [row + ",메모,담당" for row in ROWS]
    mapping_file = write(
        tmp_path / "m.yml", "columns:\n  주민번호: rrn\nignore:\n  - 비고\n  - 담당자\n"
    )
    mapping = load_mapping(mapping_file)
    assert mapping == {"주민번호": "rrn", "비고": IGNORE, "담당자": IGNORE}
    src = read_file(RESIDENT, resident_csv(tmp_path, header=header, rows=rows), mapping=mapping)
    assert src.extra_columns == ("비고", "담당자")
    assert src.frame.columns == list(RESIDENT.field_names)
    assert src.frame["rrn"].to_list() == [RRN, "8501012345678"]


def test_mapping_to_unknown_field_names_it(tmp_path: Path) -> None:
    mapping_file = write(tmp_path / "m.yaml", "주민번호: rrn\n성명: full_name\n")
    with pytest.raises(InvalidInput) as exc:
        load_mapping(mapping_file, spec=RESIDENT)
    text = str(exc.value)
    assert "m.yaml" in text
    assert "'full_name' (for column '성명')" in text
    assert "valid fields: rrn, name, name_hanja" in text
    # the same check applies when a mapping reaches read_file without a spec check
    with pytest.raises(InvalidInput, match="full_name"):
        read_file(RESIDENT, resident_csv(tmp_path), mapping=load_mapping(mapping_file))


def test_mapping_file_errors(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match=r"several columns map to one field: a, b -> rrn"):
        load_mapping(write(tmp_path / "dup.yaml", "a: rrn\nb: rrn\n"))
    with pytest.raises(InvalidInput, match=r"bad\.yaml: invalid YAML at line 2"):
        load_mapping(write(tmp_path / "bad.yaml", "a: rrn\nb: c: name\n"))
    with pytest.raises(InvalidInput, match="has no field name"):
        load_mapping(write(tmp_path / "empty.yaml", "a:\n"))
    with pytest.raises(InvalidInput, match="both mapped and ignored"):
        load_mapping(write(tmp_path / "both.yaml", "columns: {a: rrn}\nignore: [a]\n"))
    with pytest.raises(InvalidInput, match="put the column name in quotes"):
        load_mapping(write(tmp_path / "bool.yaml", "no: rrn\n"))
    with pytest.raises(InvalidInput, match="not an empty file"):
        load_mapping(write(tmp_path / "blank.yaml", ""))
    with pytest.raises(InvalidInput, match="mapping file not found"):
        load_mapping(tmp_path / "absent.yaml")


def test_resolve_columns_reports_without_judging() -> None:
    resolution = resolve_columns(
        RESIDENT, ["주민번호", "NAME", "memo", "old"], {"주민번호": "rrn", "old": IGNORE}
    )
    assert resolution.rename == {"주민번호": "rrn", "NAME": "name"}
    assert resolution.unknown == ("memo",)
    assert resolution.ignored == ("old",)
    assert resolution.missing[:2] == ("name_hanja", "birth_date")
    assert "rrn" not in resolution.missing
    with pytest.raises(InvalidInput, match="both map to field 'rrn'"):
        resolve_columns(RESIDENT, ["주민번호", "rrn"], {"주민번호": "rrn"})


# --- PostgreSQL -----------------------------------------------------------------------------

PG_URL = os.environ.get("MDR_TEST_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres")


@pytest.fixture
def agency_schema() -> Iterator[tuple[Any, str]]:
    try:
        conn = psycopg2.connect(PG_URL, connect_timeout=3)
    except psycopg2.OperationalError as exc:
        pytest.skip(f"PostgreSQL source test needs a server at {PG_URL}: {exc}".splitlines()[0])
    conn.autocommit = True
    schema = f"mdr_src_{uuid.uuid4().hex[:12]}"
    with conn.cursor() as cur:
        cur.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(schema)))
    try:
        yield conn, schema
    finally:
        with conn.cursor() as cur:
            cur.execute(sql.SQL("DROP SCHEMA {} CASCADE").format(sql.Identifier(schema)))
        conn.close()


@pytest.mark.db
def test_read_postgres_query(agency_schema: tuple[Any, str]) -> None:
    conn, schema = agency_schema
    with conn.cursor() as cur:
        cur.execute(
            sql.SQL(
                """
                CREATE TABLE {}.addr (
                    도로명주소관리번호 text, road_name text, building_main_no integer,
                    building_sub_no integer, underground boolean, sido text, sigungu text,
                    eupmyeondong text, legal_dong_code text, postal_code text,
                    building_name text, pnu text, full_address text, status text,
                    status_date date, region_code text, 비고 text
                )
                """
            ).format(sql.Identifier(schema))
        )
        cur.execute(
            sql.SQL(
                """
                INSERT INTO {}.addr VALUES
                ('00111101010010001', '세종대로', 209, 0, false, '서울특별시', '종로구',
                 '세종로', '1111011900', '03154', '', '1111011900100010000',
                 E'서울특별시 종로구\\n세종대로 209', 'active', DATE '2021-05-06', '11110', 'x'),
                ('00261101010020002', '해운대로', 1, NULL, true, '부산광역시', '해운대구',
                 '우동', '2635010500', '48094', '  마린시티  ', '2635010500100020000',
                 '부산광역시 해운대구 해운대로 1', 'active', NULL, '26350', 'y')
                """
            ).format(sql.Identifier(schema))
        )
    query = f"SELECT * FROM {schema}.addr ORDER BY 도로명주소관리번호 DESC;"
    url = PG_URL
    mapping = {"도로명주소관리번호": "road_address_id", "비고": IGNORE}
    src = read_postgres(ADDRESS, url, query, mapping=mapping)
    assert src.frame.columns == list(ADDRESS.field_names)
    assert all(dtype == pl.String for dtype in src.frame.dtypes)
    assert src.frame["road_address_id"].to_list() == ["00261101010020002", "00111101010010001"]
    assert src.frame["building_sub_no"].to_list() == [None, "0"]
    assert src.frame["underground"].to_list() == ["true", "false"]
    assert src.frame["status_date"].to_list() == [None, "2021-05-06"]
    assert src.frame["building_name"].to_list() == ["마린시티", None]
    assert src.frame["full_address"][1] == "서울특별시 종로구\n세종대로 209"
    assert src.extra_columns == ("비고",)
    assert src.sha256 is None
    assert src.path is None
    assert src.source.startswith("postgresql://") and query.rstrip(";") in src.source

    with pytest.raises(InvalidInput) as exc:
        read_postgres(ADDRESS, url, f"SELECT * FROM {schema}.addr")
    assert "unknown columns: 도로명주소관리번호, 비고" in str(exc.value)
    assert "the query returns:" in str(exc.value)
    with pytest.raises(InvalidInput, match=r"the query failed: .*no_such_table"):
        read_postgres(ADDRESS, url, f"SELECT * FROM {schema}.no_such_table")
    # a data error during COPY: PostgreSQL's text would quote the value, so it is withheld
    columns = [f for f in ADDRESS.field_names if f not in {"road_address_id", "building_main_no"}]
    cast_query = (
        f"SELECT 도로명주소관리번호 AS road_address_id, full_address::int AS building_main_no, "
        f"{', '.join(columns)} FROM {schema}.addr"
    )
    with pytest.raises(InvalidInput, match="invalid_text_representation") as exc:
        read_postgres(ADDRESS, url, cast_query)
    assert "서울" not in str(exc.value)


def test_read_postgres_unreachable_names_host_not_password() -> None:
    with pytest.raises(DatabaseUnavailable) as exc:
        read_postgres(RESIDENT, "postgresql://agency:s3cret@127.0.0.1:1/registry", "SELECT 1")
    text = str(exc.value)
    assert "127.0.0.1:1/registry" in text
    assert "s3cret" not in text
    for url in ("mysql://agency@host/db", "postgresql://agency@host:port/db", "garbage"):
        with pytest.raises(DatabaseUnavailable, match="not a PostgreSQL URL"):
            read_postgres(RESIDENT, url, "SELECT 1")


# --- through `mdr sync run` -----------------------------------------------------------------


@pytest.fixture
def cli(master: Engine, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[CliRunner]:
    url = master.url.render_as_string(hide_password=False)
    monkeypatch.setenv("MDR_DATABASE_URL", url.replace("postgresql+psycopg2", "postgresql"))
    monkeypatch.setenv("MDR_DATA_DIR", str(tmp_path / "data"))
    get_settings.cache_clear()
    yield CliRunner()
    get_settings.cache_clear()


@pytest.mark.db
def test_sync_run_applies_stray_quote_and_mac_files(
    cli: CliRunner, master: Engine, tmp_path: Path
) -> None:
    people = [make("resident", status="alive", status_date=None) for _ in range(5)]
    people[1]["name"] = '김"은영'
    # written unquoted, as the agency's export does: the quote is a stray one
    stray = tmp_path / "day1.csv"
    stray.write_text(frame_of("resident", people[:3]).write_csv(quote_style="never"))
    assert '김"은영,' in stray.read_text()
    first = cli.invoke(app, ["sync", "run", "resident", str(stray), "--json"])
    assert first.exit_code == 0, first.output
    assert json.loads(first.stdout)["created"] == 3
    with master.connect() as conn:
        names = set(conn.execute(sql_text("SELECT name FROM resident")).scalars())
    assert names == {p["name"] for p in people[:3]}

    # the full snapshot the next day, saved as "CSV (Macintosh)": CR line endings
    mac = tmp_path / "day2.csv"
    mac.write_bytes(frame_of("resident", people).write_csv().replace("\n", "\r").encode())
    original = mac.read_bytes()
    second = cli.invoke(app, ["sync", "run", "resident", str(mac), "--json"])
    assert second.exit_code == 0, second.output
    summary = json.loads(second.stdout)
    assert (summary["rows_read"], summary["created"], summary["ended"]) == (5, 2, 0)
    archived = tmp_path / "data" / "archive" / "resident" / f"{summary['sha256']}.csv"
    assert archived.read_bytes() == original
