#!/usr/bin/env python3
"""Writes the bad-input fixtures under tests/data/invalid/ (the source of truth).

Run from anywhere:  python3 tests/data/make_invalid.py

Each fixture is a directory with cases.csv, persons.csv and incidents.csv (one
of them may be missing on purpose) and an expected.json:

    {
      "description": "what the fixture breaks",
      "loads": false,            # true: Cohort loads (warnings only); false: refused
      "exhaustive": true,        # optional (default false): the problems listed are
                                 # ALL the problems reported (errors, or warnings
                                 # when it loads), no more
      "problems": [              # problems that MUST be reported
        {"severity": "error" | "warning",
         "file": "cases.csv",    # base name; the reported file/path ends with it
         "row": 3,               # header is row 1, first data row row 2; null: a
                                 # whole-file problem (no row)
         "column": "group",      # null: the problem has no column
         "value": "controle",    # the offending value as read; null: no value
         "rule": "unknown_category"}  # Rule::as_str
      ],
      "checks": [                # optional, only when loads is true: cell values of
                                 # the loaded cohort, as CSV text
        {"table": "cases", "column": "region", "index": 0, "value": "Gréningen"}
      ]
    }

A key (row, column, value) that is present is compared exactly (null means
"must be absent"); a key left out is not checked.

The bytes of the encoding fixtures (Latin-1, UTF-16, BOM, NUL, xlsx) are
written exactly; tests/data/invalid/.gitattributes keeps git from touching them.
"""

import json
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent / "invalid"

CASES = [
    ["case_id", "group", "region", "incident_date", "followup_end"],
    ["T01", "thv", "Noord", "2011-02-03", "2012-08-01"],
    ["C01", "control", "Noord", "2011-01-28", "2012-08-01"],
]
PERSONS = [
    ["person_id", "case_id", "role", "sex", "age"],
    ["T01-P", "T01", "perpetrator", "m", "38"],
    ["T01-V", "T01", "victim", "f", "35"],
    ["C01-P", "C01", "perpetrator", "m", "40"],
]
INCIDENTS = [
    ["incident_id", "case_id", "date", "source", "kind"],
    ["I01", "T01", "2011-05-10", "police", "physical"],
    ["I02", "C01", "2011-02-14", "police", "threat"],
]


def copy(t):
    return [list(r) for r in t]


def csv(table, sep=","):
    """Plain CSV text (no quoting needed for these values), LF line ends."""
    return "".join(sep.join(r) + "\n" for r in table)


def add_col(table, name, values):
    """A copy of `table` with a column appended; `values` one per data row."""
    assert len(values) == len(table) - 1, (name, values)
    out = [table[0] + [name]]
    out += [r + [v] for r, v in zip(table[1:], values)]
    return out


def drop_col(table, name):
    j = table[0].index(name)
    return [r[:j] + r[j + 1:] for r in table]


def set_cell(table, row, col, value):
    """Sets the cell at spreadsheet row `row` (header = 1) and column name `col`."""
    t = copy(table)
    t[row - 1][t[0].index(col)] = value
    return t


def add_row(table, row):
    return copy(table) + [list(row)]


def P(severity, file, row, column, value, rule):
    return {
        "severity": severity,
        "file": file,
        "row": row,
        "column": column,
        "value": value,
        "rule": rule,
    }


def E(file, row, column, value, rule):
    return P("error", file, row, column, value, rule)


def W(file, row, column, value, rule):
    return P("warning", file, row, column, value, rule)


FIXTURES = []


def fixture(name, description, problems, loads, cases=None, persons=None,
            incidents=None, exhaustive=True, checks=None):
    """cases/persons/incidents: a table (list of rows), text (str), raw bytes,
    or the string sentinel MISSING to leave the file out."""
    FIXTURES.append(dict(
        name=name, description=description, problems=problems, loads=loads,
        files={
            "cases.csv": CASES if cases is None else cases,
            "persons.csv": PERSONS if persons is None else persons,
            "incidents.csv": INCIDENTS if incidents is None else incidents,
        },
        exhaustive=exhaustive, checks=checks or [],
    ))


MISSING = object()

# --- header problems -------------------------------------------------------

fixture("missing_column_cases",
        "cases.csv lacks the required column followup_end",
        [E("cases.csv", 1, "followup_end", None, "missing_column")], False,
        cases=drop_col(CASES, "followup_end"))

fixture("missing_column_persons",
        "persons.csv lacks the required column role",
        [E("persons.csv", 1, "role", None, "missing_column")], False,
        persons=drop_col(PERSONS, "role"))

fixture("missing_column_incidents",
        "incidents.csv lacks the required column source",
        [E("incidents.csv", 1, "source", None, "missing_column")], False,
        incidents=drop_col(INCIDENTS, "source"))

fixture("duplicate_column",
        "cases.csv has the column region twice",
        [E("cases.csv", 1, "region", None, "duplicate_column")], False,
        cases=add_col(CASES, "region", ["Zuid", "Zuid"]))

fixture("duplicate_column_case_insensitive",
        "persons.csv has age and Age (header names are matched case-insensitively)",
        [E("persons.csv", 1, "Age", None, "duplicate_column")], False,
        persons=add_col(PERSONS, "Age", ["38", "35", "40"]))

# --- cell values -----------------------------------------------------------

fixture("unknown_group",
        "a case with group 'huisverbod' (allowed: thv, control)",
        [E("cases.csv", 2, "group", "huisverbod", "unknown_category")], False,
        cases=set_cell(CASES, 2, "group", "huisverbod"))

fixture("unknown_role",
        "a person with role 'dader' (allowed: perpetrator, victim, child)",
        [E("persons.csv", 4, "role", "dader", "unknown_category")], False,
        persons=set_cell(PERSONS, 4, "role", "dader"))

fixture("unknown_source",
        "an incident with source 'politie' (allowed: police, shg, bjz_amk)",
        [E("incidents.csv", 2, "source", "politie", "unknown_category")], False,
        incidents=set_cell(INCIDENTS, 2, "source", "politie"))

fixture("unknown_child_abuse",
        "an attribute category: child_abuse 'ja' (allowed: none, witness, direct)",
        [E("cases.csv", 2, "child_abuse", "ja", "unknown_category")], False,
        cases=add_col(CASES, "child_abuse", ["ja", "none"]))

fixture("age_not_a_number",
        "age 'veertig' is no number",
        [E("persons.csv", 2, "age", "veertig", "not_a_number")], False,
        persons=set_cell(PERSONS, 2, "age", "veertig"))

fixture("age_not_whole",
        "age '40.5' is not a whole number",
        [E("persons.csv", 4, "age", "40.5", "not_a_whole_number")], False,
        persons=set_cell(PERSONS, 4, "age", "40.5"))

fixture("bool_invalid",
        "threat 'misschien' is no boolean",
        [E("cases.csv", 3, "threat", "misschien", "not_a_boolean")], False,
        cases=add_col(CASES, "threat", ["true", "misschien"]))

fixture("date_wrong_format",
        "incident_date '03-02-2011' is not ISO 8601 (YYYY-MM-DD)",
        [E("cases.csv", 2, "incident_date", "03-02-2011", "not_a_date")], False,
        cases=set_cell(CASES, 2, "incident_date", "03-02-2011"))

fixture("date_impossible",
        "an incident dated 2011-02-30 (no such calendar day)",
        [E("incidents.csv", 3, "date", "2011-02-30", "not_a_date")], False,
        incidents=set_cell(INCIDENTS, 3, "date", "2011-02-30"))

fixture("missing_case_id",
        "a third case with an empty case_id",
        [E("cases.csv", 4, "case_id", "", "missing_value")], False,
        cases=add_row(CASES, ["", "control", "Oost", "2011-03-01", "2012-08-01"]))

fixture("missing_group",
        "a case with an empty group",
        [E("cases.csv", 3, "group", "", "missing_value")], False,
        cases=set_cell(CASES, 3, "group", ""))

# --- keys and cross-table rules --------------------------------------------

fixture("duplicate_case_id",
        "case_id T01 twice",
        [E("cases.csv", 4, "case_id", "T01", "duplicate_case_id")], False,
        cases=add_row(CASES, ["T01", "control", "Oost", "2011-03-01", "2012-08-01"]))

fixture("duplicate_person_id",
        "person_id T01-P twice",
        [E("persons.csv", 5, "person_id", "T01-P", "duplicate_person_id")], False,
        persons=add_row(PERSONS, ["T01-P", "C01", "victim", "f", "39"]))

fixture("duplicate_incident_same_source",
        "incident I01 registered twice by the police",
        [E("incidents.csv", 4, "incident_id", "I01", "duplicate_incident")], False,
        incidents=add_row(INCIDENTS, ["I01", "T01", "2011-05-10", "police", "physical"]))

fixture("duplicate_incident_two_cases",
        "incident_id I01 used for case T01 and for case C01",
        [E("incidents.csv", 4, "incident_id", "I01", "duplicate_incident")], False,
        incidents=add_row(INCIDENTS, ["I01", "C01", "2011-03-01", "shg", "threat"]))

fixture("person_unknown_case",
        "a person in case X99, which cases.csv lacks",
        [E("persons.csv", 5, "case_id", "X99", "unknown_case")], False,
        persons=add_row(PERSONS, ["X99-P", "X99", "perpetrator", "m", "50"]))

fixture("incident_unknown_case",
        "an incident of case X99, which cases.csv lacks",
        [E("incidents.csv", 4, "case_id", "X99", "unknown_case")], False,
        incidents=add_row(INCIDENTS, ["I03", "X99", "2011-06-01", "police", "threat"]))

fixture("incident_on_case_date",
        "a new incident dated on its case's incident_date (T01, 2011-02-03)",
        [E("incidents.csv", 2, "date", "2011-02-03", "incident_before_case")], False,
        incidents=set_cell(INCIDENTS, 2, "date", "2011-02-03"))

fixture("incident_before_case",
        "a new incident dated before its case's incident_date (C01, 2011-01-28)",
        [E("incidents.csv", 3, "date", "2011-01-15", "incident_before_case")], False,
        incidents=set_cell(INCIDENTS, 3, "date", "2011-01-15"))

fixture("followup_before_incident",
        "followup_end 2011-01-01 before incident_date 2011-02-03",
        [E("cases.csv", 2, "followup_end", "2011-01-01", "followup_before_incident")], False,
        cases=set_cell(CASES, 2, "followup_end", "2011-01-01"))

# --- ranges ----------------------------------------------------------------

fixture("cooperation_out_of_range",
        "cooperation is a 1-5 scale: 0 and 6 are refused, 3 is fine",
        [E("persons.csv", 2, "cooperation", "0", "out_of_range"),
         E("persons.csv", 3, "cooperation", "6", "out_of_range")], False,
        persons=add_col(PERSONS, "cooperation", ["0", "6", "3"]))

fixture("enforcement_priority_out_of_range",
        "enforcement_priority is a 1-4 scale: 5 is refused",
        [E("cases.csv", 2, "enforcement_priority", "5", "out_of_range")], False,
        cases=add_col(CASES, "enforcement_priority", ["5", "1"]))

fixture("contra_indications_out_of_range",
        "contra_indications counts 0-5: 6 is refused",
        [E("cases.csv", 3, "contra_indications", "6", "out_of_range")], False,
        cases=add_col(CASES, "contra_indications", ["0", "6"]))

fixture("negative_counts",
        "counts cannot be negative: hks_offences -1, case_consultations -2, extension_days -1",
        [E("cases.csv", 2, "extension_days", "-1", "out_of_range"),
         E("cases.csv", 3, "case_consultations", "-2", "out_of_range"),
         E("persons.csv", 3, "hks_offences", "-1", "out_of_range")], False,
        cases=add_col(add_col(CASES, "extension_days", ["-1", ""]),
                      "case_consultations", ["0", "-2"]),
        persons=add_col(PERSONS, "hks_offences", ["2", "-1", "0"]))

fixture("age_out_of_range",
        "a perpetrator of 11 and a victim of 111 are refused; a child of 3 is fine",
        [E("persons.csv", 2, "age", "11", "out_of_range"),
         E("persons.csv", 3, "age", "111", "out_of_range")], False,
        persons=add_row(set_cell(set_cell(PERSONS, 2, "age", "11"), 3, "age", "111"),
                        ["T01-K1", "T01", "child", "f", "3"]))

fixture("child_age_3_loads",
        "a child of 3 and a child of 0 are valid",
        [], True,
        persons=add_row(add_row(PERSONS, ["T01-K1", "T01", "child", "f", "3"]),
                        ["T01-K2", "T01", "child", "m", "0"]),
        checks=[{"table": "persons", "column": "age", "index": 3, "value": "3"}])

# --- group-only fields (warnings) ------------------------------------------

fixture("thv_field_on_control",
        "order_violated=true on a control case: a warning, the cohort loads",
        [W("cases.csv", 3, "order_violated", "true", "group_only_field")], True,
        cases=add_col(CASES, "order_violated", ["false", "true"]))

fixture("control_kind_on_thv",
        "control_kind filled on a thv case: a warning, the cohort loads",
        [W("cases.csv", 2, "control_kind", "refused_order", "group_only_field")], True,
        cases=add_col(CASES, "control_kind", ["refused_order", "not_started"]))

# --- record structure ------------------------------------------------------

fixture("truncated_last_line",
        "the last line of cases.csv is cut off (3 of 5 fields, no line end)",
        [E("cases.csv", 4, None, "C02,control,Oost", "field_count")], False,
        cases=csv(CASES) + "C02,control,Oost")

fixture("too_many_fields",
        "a persons line with one field more than the header",
        [E("persons.csv", 3, None, "T01-V,T01,victim,f,35,extra", "field_count")], False,
        persons=set_cell(PERSONS, 3, "age", "35,extra"))

fixture("multiline_quoted_field",
        "a quoted region spanning two lines: the next record starts on line 4, "
        "and problems give the line on which the record starts",
        [E("cases.csv", 4, "group", "controle", "unknown_category")], False,
        cases='case_id,group,region,incident_date,followup_end\n'
              'T01,thv,"Noord\nZuid",2011-02-03,2012-08-01\n'
              'C01,controle,Noord,2011-01-28,2012-08-01\n')

fixture("blank_lines",
        "an empty line and a line of blanks between records: rows count the lines "
        "as a text editor shows them",
        [E("cases.csv", 5, "group", "controle", "unknown_category")], False,
        cases='case_id,group,region,incident_date,followup_end\n'
              'T01,thv,Noord,2011-02-03,2012-08-01\n'
              '\n'
              '   \n'
              'C01,controle,Noord,2011-01-28,2012-08-01\n')

# --- whole-file problems ---------------------------------------------------

fixture("empty_file",
        "persons.csv has 0 bytes",
        [E("persons.csv", None, None, None, "empty_file")], False,
        persons=b"")

fixture("whitespace_only",
        "incidents.csv holds only blanks and line ends",
        [E("incidents.csv", None, None, None, "empty_file")], False,
        incidents=b"  \r\n\t\n   \n")

fixture("missing_file",
        "the directory lacks incidents.csv",
        [E("incidents.csv", None, None, None, "unreadable")], False,
        incidents=MISSING)

fixture("xlsx_file",
        "cases.csv is an Excel workbook (a zip: bytes start PK\\x03\\x04)",
        [E("cases.csv", None, None, None, "encoding")], False,
        cases=b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00[Content_Types].xml" + bytes(range(256)))

fixture("nul_bytes",
        "persons.csv contains NUL bytes",
        [E("persons.csv", None, None, None, "encoding")], False,
        persons=csv(PERSONS).replace("T01-V", "T01\x00V").encode())

fixture("bom_whitespace_only",
        "cases.csv holds a UTF-8 byte-order mark and a line of blanks: no header line",
        [E("cases.csv", None, None, None, "empty_file")], False,
        cases=b"\xef\xbb\xbf   \n")

fixture("utf16_whitespace_only",
        "persons.csv in UTF-16 LE with a byte-order mark, holding only blanks: no header line",
        [E("persons.csv", None, None, None, "empty_file")], False,
        persons=b"\xff\xfe" + "  \r\n  \r\n".encode("utf-16-le"))

fixture("utf16_odd_length",
        "persons.csv starts with a UTF-16 LE byte-order mark but has an odd number of bytes",
        [E("persons.csv", None, None, None, "encoding")], False,
        persons=b"\xff\xfe" + csv(PERSONS).encode("utf-16-le") + b"\x41")

fixture("missing_file_and_bad_cells",
        "incidents.csv is missing and cases.csv has an unknown group: both are reported "
        "(every problem in all files, in one pass)",
        [E("cases.csv", 3, "group", "controle", "unknown_category"),
         E("incidents.csv", None, None, None, "unreadable")], False,
        cases=set_cell(CASES, 3, "group", "controle"),
        incidents=MISSING)

fixture("missing_column_and_cross_table",
        "persons.csv lacks role, and an incident points to an unknown case and another "
        "lies before its case: the cases/incidents rules are still checked",
        [E("persons.csv", 1, "role", None, "missing_column"),
         E("incidents.csv", 2, "date", "2011-01-01", "incident_before_case"),
         E("incidents.csv", 4, "case_id", "X99", "unknown_case")], False,
        persons=drop_col(PERSONS, "role"),
        incidents=add_row(set_cell(INCIDENTS, 2, "date", "2011-01-01"),
                          ["I03", "X99", "2011-06-01", "police", "threat"]))

fixture("cr_line_endings",
        "cases.csv with old-Mac CR-only line ends and an unknown group on row 3",
        [E("cases.csv", 3, "group", "controle", "unknown_category")], False,
        cases=csv(set_cell(CASES, 3, "group", "controle")).replace("\n", "\r"))

fixture("latin1_row_after_multiline_field",
        "Latin-1 cases.csv whose first non-UTF-8 byte (0xE9) sits in the record starting on line 4 "
        "(a quoted region spans lines 2-3): loads with the encoding warning on row 4",
        [W("cases.csv", 4, None, None, "encoding")], True,
        cases=('case_id,group,region,incident_date,followup_end\n'
               'T01,thv,"Noord\nZuid",2011-02-03,2012-08-01\n'
               'C01,control,Gr\u00e9ningen,2011-01-28,2012-08-01\n').encode("cp1252"),
        checks=[{"table": "cases", "column": "region", "index": 1, "value": "Gr\u00e9ningen"}])

fixture("separator_only_row",
        "an empty spreadsheet row exported as ',,,,' between two cases is skipped: loads, no problem",
        [], True,
        cases=csv(CASES[:2]) + ",,,,\n" + csv(CASES[2:]))

fixture("date_with_trailing_text",
        "followup_end '2012-08-01 later' is no date (only a time part may follow the date)",
        [E("cases.csv", 2, "followup_end", "2012-08-01 later", "not_a_date")], False,
        cases=set_cell(CASES, 2, "followup_end", "2012-08-01 later"))

fixture("number_too_large",
        "hks_offences 99999999999 does not fit a whole number column",
        [E("persons.csv", 2, "hks_offences", "99999999999", "out_of_range")], False,
        persons=add_col(PERSONS, "hks_offences", ["99999999999", "0", "1"]))

fixture("na_tokens_are_unknown",
        "NA, null and an empty cell in typed attribute columns are unknown values: loads, no problem",
        [], True,
        persons=add_col(add_col(PERSONS, "cooperation", ["NA", "null", ""]), "arrested", ["NaN", "None", "ja"]),
        checks=[{"table": "persons", "column": "cooperation", "index": 0, "value": ""},
                {"table": "persons", "column": "arrested", "index": 2, "value": "true"}])

# --- encodings and separators that must load --------------------------------

LATIN1_CASES = set_cell(CASES, 2, "region", "Gr\u00e9ningen")

fixture("latin1_region",
        "cases.csv in Windows-1252/Latin-1 with 'é' (0xE9) in region: loads, with an encoding warning",
        [W("cases.csv", 2, None, None, "encoding")], True,
        cases=csv(LATIN1_CASES).encode("cp1252"),
        checks=[{"table": "cases", "column": "region", "index": 0, "value": "Gr\u00e9ningen"}])

fixture("utf8_bom",
        "cases.csv in UTF-8 with a byte-order mark (as Excel writes 'CSV UTF-8'): loads, no problem",
        [], True,
        cases=b"\xef\xbb\xbf" + csv(LATIN1_CASES).encode("utf-8"),
        checks=[{"table": "cases", "column": "case_id", "index": 0, "value": "T01"},
                {"table": "cases", "column": "region", "index": 0, "value": "Gr\u00e9ningen"}])

fixture("semicolon_decimal_comma",
        "persons.csv separated by ';' with a decimal comma (first_contact_hours 6,5), as Dutch Excel writes: loads",
        [], True,
        persons=csv(add_col(PERSONS, "first_contact_hours", ["20", "6,5", ""]), sep=";"),
        checks=[{"table": "persons", "column": "first_contact_hours", "index": 1, "value": "6.5"},
                {"table": "persons", "column": "age", "index": 1, "value": "35"}])

fixture("utf16le_bom",
        "incidents.csv in UTF-16 LE with a byte-order mark: loads, no problem",
        [], True,
        incidents=b"\xff\xfe" + csv(INCIDENTS).encode("utf-16-le"),
        checks=[{"table": "incidents", "column": "incident_id", "index": 1, "value": "I02"}])

fixture("utf16be_bom",
        "persons.csv in UTF-16 BE with a byte-order mark: loads, no problem",
        [], True,
        persons=b"\xfe\xff" + csv(PERSONS).encode("utf-16-be"),
        checks=[{"table": "persons", "column": "person_id", "index": 2, "value": "C01-P"}])

fixture("crlf_and_case_insensitive_header",
        "CRLF line ends and a header in mixed case (Case_ID, GROUP): loads, no problem",
        [], True,
        cases="Case_ID,GROUP,Region,Incident_Date,FOLLOWUP_END\r\n"
              "T01,thv,Noord,2011-02-03,2012-08-01\r\n"
              "C01,Control,Noord,2011-01-28,2012-08-01\r\n",
        checks=[{"table": "cases", "column": "group", "index": 1, "value": "control"}])

fixture("header_only_incidents",
        "incidents.csv with a header and no rows: a cohort without new incidents, loads",
        [], True,
        incidents=csv(INCIDENTS[:1]))

# --- several problems at once ----------------------------------------------

fixture("multiple_problems",
        "problems in all three files at once: every one is reported, not just the first",
        [E("cases.csv", 3, "group", "controle", "unknown_category"),
         E("cases.csv", 4, "incident_date", "2011-13-01", "not_a_date"),
         E("persons.csv", 2, "age", "veertig", "not_a_number"),
         E("persons.csv", 4, "case_id", "X99", "unknown_case"),
         E("incidents.csv", 2, "date", "2011-01-01", "incident_before_case"),
         E("incidents.csv", 3, "source", "politie", "unknown_category"),
         W("cases.csv", 2, "control_kind", "not_started", "group_only_field")], False,
        cases=add_col(add_row(set_cell(CASES, 3, "group", "controle"),
                              ["T02", "thv", "Oost", "2011-13-01", "2012-08-01"]),
                      "control_kind", ["not_started", "", ""]),
        persons=set_cell(set_cell(PERSONS, 2, "age", "veertig"), 4, "case_id", "X99"),
        incidents=set_cell(set_cell(INCIDENTS, 2, "date", "2011-01-01"), 3, "source", "politie"))


def to_bytes(content):
    if isinstance(content, bytes):
        return content
    if isinstance(content, str):
        return content.encode("utf-8")
    return csv(content).encode("utf-8")


def main():
    if ROOT.exists():
        for d in ROOT.iterdir():
            if d.is_dir():
                shutil.rmtree(d)
    ROOT.mkdir(parents=True, exist_ok=True)
    (ROOT / ".gitattributes").write_text(
        "# Fixture bytes are exact (Latin-1, UTF-16, CRLF, NUL): no line-end or text conversion.\n"
        "* -text\n")
    (ROOT / "README.md").write_text(
        "# Bad-input fixtures\n\n"
        "Written by `python3 tests/data/make_invalid.py` (edit that script, not the files).\n"
        "Checked by `tests/validation.rs`; the Python suite may reuse them.\n\n"
        "```text" + __doc__.split("Each fixture is", 1)[1].join(["\nEach fixture is", ""]) + "```\n",
        encoding="utf-8")
    names = set()
    for f in FIXTURES:
        assert f["name"] not in names, f["name"]
        names.add(f["name"])
        d = ROOT / f["name"]
        d.mkdir()
        for file, content in f["files"].items():
            if content is MISSING:
                continue
            (d / file).write_bytes(to_bytes(content))
        expected = {
            "description": f["description"],
            "loads": f["loads"],
            "exhaustive": f["exhaustive"],
            "problems": f["problems"],
        }
        if f["checks"]:
            expected["checks"] = f["checks"]
        (d / "expected.json").write_text(
            json.dumps(expected, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {len(FIXTURES)} fixtures to {ROOT}")


if __name__ == "__main__":
    main()
