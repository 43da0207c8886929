"""import_districts: districts created or updated by code, imported whole or not at all."""

import pytest

from districts.models import District, DistrictKind, Group

pytestmark = pytest.mark.usefixtures("reference_data")


def test_it_imports_a_good_file_creating_and_updating_districts(run, data_file):
    output = run("import_districts", data_file("districts_good.csv"))

    assert output.stdout.splitlines()[-1] == "created 4, updated 2, unchanged 0"
    assert District.objects.count() == 8
    nanguan = District.objects.get(code="220102")
    assert (nanguan.name_en, nanguan.population) == ("Nanguan District", 650000)


def test_it_accepts_kind_values_and_their_english_labels_in_any_case(run, data_file):
    run("import_districts", data_file("districts_good.csv"))

    kinds = dict(District.objects.values_list("code", "kind"))
    assert kinds["220104"] == DistrictKind.DISTRICT  # "District"
    assert kinds["220183"] == DistrictKind.COUNTY_CITY  # "county-level city"
    assert kinds["220191"] == DistrictKind.NEW_AREA  # "new area"
    assert kinds["220192"] == DistrictKind.DEVELOPMENT_ZONE  # "development zone"
    assert kinds["220193"] == DistrictKind.DEPARTMENT


def test_reimporting_the_same_file_changes_nothing(run, data_file, database_state):
    run("import_districts", data_file("districts_good.csv"))
    before = database_state()

    output = run("import_districts", data_file("districts_good.csv"))

    assert output.stdout.splitlines()[-1] == "created 0, updated 0, unchanged 6"
    assert database_state() == before


def test_reimporting_updates_the_named_fields_and_lists_them_at_verbosity_2(run, csv_file):
    output = run(
        "import_districts",
        csv_file("code,name,kind,group\n220102,南关区（新）,county,changchun\n"),
        verbosity=2,
    )

    assert output.stdout.splitlines() == [
        "read inline.csv (CSV in UTF-8): 1 row",
        "row 2: update district 220102 (name, kind)",
        "created 0, updated 1, unchanged 0",
    ]
    nanguan = District.objects.get(code="220102")
    assert (nanguan.name, nanguan.kind) == ("南关区（新）", DistrictKind.COUNTY)


def test_a_file_without_optional_columns_keeps_the_stored_ones(run, csv_file):
    District.objects.filter(code="220102").update(name_en="Nanguan", population=650000)

    run("import_districts", csv_file("code,name,kind,group\n220102,南关区,district,changchun\n"))

    nanguan = District.objects.get(code="220102")
    assert (nanguan.name_en, nanguan.population) == ("Nanguan", 650000)


def test_empty_optional_cells_clear_the_stored_values(run, csv_file):
    District.objects.filter(code="220102").update(name_en="Nanguan", population=650000)

    run(
        "import_districts",
        csv_file("code,name,kind,group,name_en,population\n220102,南关区,district,changchun,,\n"),
    )

    nanguan = District.objects.get(code="220102")
    assert (nanguan.name_en, nanguan.population) == ("", None)


def test_it_reads_a_utf8_file_with_byte_order_mark_crlf_and_untidy_headers(run, data_file):
    output = run("import_districts", data_file("districts_good_bom.csv"))

    assert output.stdout.splitlines()[-1] == "created 2, updated 0, unchanged 0"
    assert District.objects.get(code="220106").name == "绿园区"


def test_it_rejects_unknown_group_codes_naming_row_and_column(rejected, data_file):
    rejection = rejected("import_districts", data_file("districts_unknown_group.csv"))

    assert rejection.problems == [
        'row 3, column "group": unknown group "changchun_north"; '
        "add it first or import with --create-groups"
    ]
    assert rejection.message == "1 problem; nothing was imported"


def test_it_creates_unknown_groups_named_after_their_code_when_asked(run, data_file):
    output = run("import_districts", data_file("districts_unknown_group.csv"), create_groups=True)

    assert output.stdout.splitlines() == [
        "read districts_unknown_group.csv (CSV in UTF-8): 2 rows",
        "created group changchun_north",
        "created 1, updated 1, unchanged 0",
    ]
    group = Group.objects.get(code="changchun_north")
    assert group.name == "changchun_north"
    assert District.objects.get(code="220105").group == group


def test_it_rejects_unknown_kinds_naming_row_and_column(rejected, data_file):
    rejection = rejected("import_districts", data_file("districts_unknown_kind.csv"))

    [problem] = rejection.problems
    assert problem.startswith('row 3, column "kind": "township" is not one of: district, county')


def test_it_rejects_a_file_missing_a_required_column_by_name(rejected, data_file):
    rejection = rejected("import_districts", data_file("districts_missing_column.csv"))

    assert rejection.problems == ['row 1: missing required column "kind"']


def test_it_rejects_unknown_columns(rejected, data_file):
    rejection = rejected("import_districts", data_file("districts_unknown_column.csv"))

    [problem] = rejection.problems
    assert problem.startswith('row 1: unknown column "mayor"')


def test_it_rejects_empty_required_cells_naming_row_and_column(rejected, data_file):
    rejection = rejected("import_districts", data_file("districts_empty_required_cell.csv"))

    assert rejection.problems == ['row 3, column "name": is empty; a value is required']


def test_it_rejects_duplicate_codes_naming_the_first_row(rejected, data_file):
    rejection = rejected("import_districts", data_file("districts_duplicate_code.csv"))

    assert rejection.problems == ["row 5: duplicate of row 3 (code 220105)"]


def test_it_rejects_a_population_that_is_not_a_whole_number(rejected, data_file):
    rejection = rejected("import_districts", data_file("districts_bad_population.csv"))

    [problem] = rejection.problems
    assert problem.startswith('row 2, column "population": "65万" is not a whole number')


def test_it_rejects_codes_the_model_would_refuse(rejected, data_file):
    rejection = rejected("import_districts", data_file("districts_bad_code.csv"))

    [problem] = rejection.problems
    assert problem.startswith('row 2, column "code": "22 01 05": Use letters, digits')


def test_it_lists_every_problem_in_a_file_not_only_the_first(rejected, data_file):
    rejection = rejected("import_districts", data_file("districts_three_problems.csv"))

    assert rejection.message == "3 problems; nothing was imported"
    assert [problem.split(":")[0] for problem in rejection.problems] == [
        'row 3, column "kind"',
        'row 4, column "name"',
        'row 5, column "group"',
    ]


def test_it_reads_districts_from_a_workbook(run, tmp_path):
    from tests.data.imports.workbooks import workbook

    path = workbook(
        tmp_path / "districts.xlsx",
        [
            ["code", "name", "kind", "group", "population"],
            [220105, "二道区", "district", "changchun", 420000],
        ],
    )

    output = run("import_districts", path)

    assert output.stdout.splitlines() == [
        "read districts.xlsx (XLSX): 1 row",
        "created 1, updated 0, unchanged 0",
    ]
    assert District.objects.get(code="220105").population == 420000


def test_it_reads_districts_from_a_gbk_file(run, tmp_path):
    path = tmp_path / "districts.csv"
    path.write_bytes("code,name,kind,group\n220106,绿园区,district,changchun\n".encode("gbk"))

    output = run("import_districts", str(path))

    assert output.stdout.splitlines()[0] == "read districts.csv (CSV in GB18030 (GBK)): 1 row"
    assert District.objects.get(code="220106").name == "绿园区"


def test_each_created_or_changed_district_has_a_history_record_naming_the_file(run, data_file):
    run("import_districts", data_file("districts_good.csv"))

    records = District.history.filter(history_change_reason="import districts_good.csv")
    assert sorted((record.code, record.history_type) for record in records) == [
        ("220102", "~"),
        ("220104", "+"),
        ("220183", "~"),
        ("220191", "+"),
        ("220192", "+"),
        ("220193", "+"),
    ]
