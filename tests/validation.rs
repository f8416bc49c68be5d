//! The bad-input matrix: every fixture under tests/data/invalid/<name>/ is
//! loaded with `Cohort::from_csv_dir` and checked against its expected.json
//! (format: tests/data/make_invalid.py, which writes the fixtures), plus a
//! no-panic test over all fixtures and a deterministic fuzz test of
//! `Cohort::from_readers`.

use huisverbod::{Cohort, Error, Problem, Severity, Table};
use serde::{Deserialize, Deserializer};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};

/// Assertions that fail because of a known bug in src/: (fixture, assertion).
/// Assertions are named "loads", "problem N" (expected problem N, 0-based),
/// "exhaustive" (no problems beyond expected.json), "display" (the error's
/// Display names its first problem), "first" (the first problem is the
/// earliest expected error) and "check N". A listed assertion is still run:
/// when it passes, the test fails and asks for the entry to be removed.
const KNOWN_BUGS: &[(&str, &str)] = &[];

fn known_bug(fixture: &str, what: &str) -> bool {
    KNOWN_BUGS.iter().any(|&(f, w)| f == fixture && w == what)
}

/// `Some(None)` for an explicit `null`, `None` (via `default`) when the key is absent.
fn present<'de, D, T>(d: D) -> Result<Option<Option<T>>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(d).map(Some)
}

#[derive(Debug, Deserialize)]
struct Expected {
    description: String,
    loads: bool,
    #[serde(default)]
    exhaustive: bool,
    problems: Vec<ExpectedProblem>,
    #[serde(default)]
    checks: Vec<Check>,
}

#[derive(Debug, Deserialize)]
struct ExpectedProblem {
    severity: Severity,
    file: String,
    #[serde(default, deserialize_with = "present")]
    row: Option<Option<u64>>,
    #[serde(default, deserialize_with = "present")]
    column: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    value: Option<Option<String>>,
    rule: String,
}

#[derive(Debug, Deserialize)]
struct Check {
    table: String,
    column: String,
    index: usize,
    value: String,
}

impl ExpectedProblem {
    fn matches(&self, p: &Problem) -> bool {
        p.severity == self.severity
            && p.rule.as_str() == self.rule
            && file_is(&p.file, &self.file)
            && self.row.as_ref().is_none_or(|r| *r == p.row)
            && self.column.as_ref().is_none_or(|c| *c == p.column)
            && self.value.as_ref().is_none_or(|v| *v == p.value)
    }
}

/// Whether a reported file (a path) names the file `name`.
fn file_is(reported: &str, name: &str) -> bool {
    Path::new(reported)
        .file_name()
        .is_some_and(|f| f == std::ffi::OsStr::new(name))
}

fn fixtures_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/invalid")
}

fn fixture_dirs() -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(fixtures_root())
        .expect("tests/data/invalid exists (python3 tests/data/make_invalid.py writes it)")
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    assert!(
        dirs.len() >= 40,
        "expected the fixture matrix, found {} dirs",
        dirs.len()
    );
    dirs
}

fn name_of(dir: &Path) -> String {
    dir.file_name().unwrap().to_string_lossy().into_owned()
}

fn read_expected(dir: &Path) -> Expected {
    let text = std::fs::read_to_string(dir.join("expected.json")).unwrap();
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}/expected.json: {e}", dir.display()))
}

fn show(problems: &[Problem]) -> String {
    problems
        .iter()
        .map(|p| format!("    {:?} {p}", p.severity))
        .collect::<Vec<_>>()
        .join("\n")
}

fn file_rank(name: &str) -> usize {
    ["cases.csv", "persons.csv", "incidents.csv"]
        .iter()
        .position(|f| file_is(name, f))
        .unwrap_or(3)
}

/// The outcome of one fixture's assertions.
#[derive(Default)]
struct Outcome {
    /// Assertions that failed (and are not known bugs).
    fails: Vec<String>,
    /// Known-bug assertions that now pass.
    stale: Vec<String>,
}

impl Outcome {
    fn assert(&mut self, fixture: &str, what: &str, ok: bool, msg: impl FnOnce() -> String) {
        match (ok, known_bug(fixture, what)) {
            (true, true) => self.stale.push(format!(
                "{fixture}: '{what}' passes now: remove it from KNOWN_BUGS"
            )),
            (false, false) => self.fails.push(format!("[{what}] {}", msg())),
            _ => {}
        }
    }
}

/// Checks one fixture against its expected.json.
fn check_fixture(dir: &Path) -> Outcome {
    let name = name_of(dir);
    let name = name.as_str();
    let exp = read_expected(dir);
    let mut out = Outcome::default();
    let result = Cohort::from_csv_dir(dir);
    let reported: Vec<Problem> = match &result {
        Ok(c) => c.warnings().to_vec(),
        Err(Error::Validation(v)) => v.problems.clone(),
        Err(e) => {
            out.fails
                .push(format!("expected Error::Validation or Ok, got {e:?}"));
            return out;
        }
    };
    let loads_ok = result.is_ok() == exp.loads;
    out.assert(name, "loads", loads_ok, || {
        format!(
            "must {}, but {}:\n{}",
            if exp.loads { "load" } else { "be refused" },
            if result.is_ok() {
                "loaded"
            } else {
                "was refused"
            },
            show(&reported)
        )
    });
    if !loads_ok {
        return out;
    }
    // Every expected problem is reported (each matched by a different problem).
    let mut used = vec![false; reported.len()];
    for (k, e) in exp.problems.iter().enumerate() {
        assert!(
            !(exp.loads && e.severity == Severity::Error),
            "{name}/expected.json lists an error but says loads=true"
        );
        let hit = (0..reported.len()).find(|&i| !used[i] && e.matches(&reported[i]));
        if let Some(i) = hit {
            used[i] = true;
        }
        out.assert(name, &format!("problem {k}"), hit.is_some(), || {
            format!("expected problem {k} not reported: {}", show_expected(e))
        });
    }
    if exp.exhaustive {
        let extra: Vec<Problem> = reported
            .iter()
            .zip(&used)
            .filter(|(_, u)| !**u)
            .map(|(p, _)| p.clone())
            .collect();
        out.assert(name, "exhaustive", extra.is_empty(), || {
            format!("problems reported beyond expected.json:\n{}", show(&extra))
        });
    }
    match &result {
        Err(err @ Error::Validation(v)) => {
            let shown = err.to_string();
            let first = &v.problems[0];
            let named = match first.row {
                Some(r) => format!("{}, row {r}", first.file),
                None => first.file.clone(),
            };
            out.assert(
                name,
                "display",
                first.severity == Severity::Error && shown.contains(&named),
                || format!("Display should name the first error '{named}':\n{shown}"),
            );
            // With a complete list, the first problem is the earliest expected
            // error in file order (cases, persons, incidents), then row order
            // (whole-file problems first).
            if exp.exhaustive {
                let earliest = exp
                    .problems
                    .iter()
                    .filter(|p| p.severity == Severity::Error)
                    .min_by_key(|p| (file_rank(&p.file), p.row.flatten().unwrap_or(0)));
                if let Some(e) = earliest {
                    let ok = file_is(&first.file, &e.file)
                        && e.row.as_ref().is_none_or(|r| *r == first.row);
                    out.assert(name, "first", ok, || {
                        format!(
                            "the first problem should be {}, is: {first}",
                            show_expected(e)
                        )
                    });
                }
            }
        }
        Ok(c) => {
            for (k, ch) in exp.checks.iter().enumerate() {
                let table =
                    Table::parse(&ch.table).unwrap_or_else(|| panic!("bad table {}", ch.table));
                let mut got = None;
                if let Some(col) = c.column(table, &ch.column) {
                    if ch.index < col.len() {
                        let mut s = String::new();
                        col.write_cell(ch.index, &mut s);
                        got = Some(s);
                    }
                }
                out.assert(
                    name,
                    &format!("check {k}"),
                    got.as_deref() == Some(ch.value.as_str()),
                    || {
                        format!(
                            "{}.{}[{}] is {got:?}, expected '{}'",
                            ch.table, ch.column, ch.index, ch.value
                        )
                    },
                );
            }
        }
        Err(_) => {}
    }
    if !out.fails.is_empty() {
        out.fails.push(format!(
            "({}) all problems reported:\n{}",
            exp.description,
            show(&reported)
        ));
    }
    out
}

fn show_expected(e: &ExpectedProblem) -> String {
    let opt = |o: &Option<Option<String>>| match o {
        None => "*".to_string(),
        Some(None) => "null".to_string(),
        Some(Some(s)) => format!("'{s}'"),
    };
    let row = match e.row {
        None => "*".to_string(),
        Some(None) => "null".to_string(),
        Some(Some(r)) => r.to_string(),
    };
    format!(
        "{:?} {} row {row}, column {}, value {} [{}]",
        e.severity,
        e.file,
        opt(&e.column),
        opt(&e.value),
        e.rule
    )
}

#[test]
fn invalid_fixtures_report_expected_problems() {
    let dirs = fixture_dirs();
    let (mut failed, mut stale) = (Vec::new(), Vec::new());
    for dir in &dirs {
        let out = check_fixture(dir);
        if !out.fails.is_empty() {
            failed.push(format!("== {}\n  {}", name_of(dir), out.fails.join("\n  ")));
        }
        stale.extend(out.stale);
    }
    for &(f, _) in KNOWN_BUGS {
        assert!(
            dirs.iter().any(|d| name_of(d) == f),
            "KNOWN_BUGS names no fixture '{f}'"
        );
    }
    assert!(
        failed.is_empty() && stale.is_empty(),
        "{} of {} fixtures failed:\n{}\n{}",
        failed.len(),
        dirs.len(),
        failed.join("\n"),
        stale.join("\n")
    );
}

#[test]
fn expected_json_files_are_well_formed() {
    const RULES: &[&str] = &[
        "unreadable",
        "empty_file",
        "encoding",
        "missing_column",
        "duplicate_column",
        "field_count",
        "missing_value",
        "unknown_category",
        "not_a_number",
        "not_a_whole_number",
        "not_a_boolean",
        "not_a_date",
        "out_of_range",
        "duplicate_case_id",
        "duplicate_person_id",
        "duplicate_incident",
        "unknown_case",
        "incident_before_case",
        "followup_before_incident",
        "group_only_field",
    ];
    for dir in fixture_dirs() {
        let exp = read_expected(&dir);
        assert!(!exp.description.is_empty(), "{}", dir.display());
        assert!(
            exp.loads || !exp.problems.is_empty(),
            "{}: a refused fixture must list its problems",
            dir.display()
        );
        assert!(
            exp.loads || exp.checks.is_empty(),
            "{}: checks need loads=true",
            dir.display()
        );
        for p in &exp.problems {
            assert!(
                RULES.contains(&p.rule.as_str()),
                "{}: unknown rule {}",
                dir.display(),
                p.rule
            );
            assert!(
                file_rank(&p.file) < 3,
                "{}: unknown file {}",
                dir.display(),
                p.file
            );
        }
    }
}

#[test]
fn no_fixture_panics() {
    let mut panicked = Vec::new();
    for dir in fixture_dirs() {
        let r = catch_unwind(AssertUnwindSafe(|| {
            let _ = Cohort::from_csv_dir(&dir).map_err(|e| e.to_string());
        }));
        if r.is_err() {
            panicked.push(name_of(&dir));
        }
    }
    assert!(
        panicked.is_empty(),
        "Cohort::from_csv_dir panicked on: {panicked:?}"
    );
}

// --- fuzz-style robustness ---------------------------------------------------

/// A xorshift64 generator with a fixed seed: the same mutations on every run.
struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

fn example(file: &str) -> Vec<u8> {
    std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("examples/data")
            .join(file),
    )
    .unwrap()
}

/// `HUISVERBOD_FUZZ_SCALE=N` multiplies the number of flips and insertions
/// (default 1, a few hundred mutations in all) for a longer local run.
fn fuzz_scale() -> usize {
    std::env::var("HUISVERBOD_FUZZ_SCALE")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1)
        .max(1)
}

/// Deterministic mutations of `base`: truncations, byte flips, insertions.
fn mutations(base: &[u8], seed: u64, step: usize) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    for k in (0..=base.len()).step_by(step) {
        out.push((format!("truncate at {k}"), base[..k].to_vec()));
    }
    let mut rng = XorShift(seed);
    let scale = fuzz_scale();
    for m in 0..150 * scale {
        let mut b = base.to_vec();
        let n = 1 + rng.below(4);
        for _ in 0..n {
            let i = rng.below(b.len());
            b[i] ^= (1 + rng.below(255)) as u8;
        }
        out.push((format!("flip #{m} ({n} bytes)"), b));
    }
    const INSERTS: &[&[u8]] = &[
        b"\"",
        b",",
        b"\0",
        b"\n",
        b"\r",
        b";",
        b"\t",
        b"\"\"",
        b",,,,",
        b"\xe9",
        b"\xff\xfe",
        b"\xef\xbb\xbf",
        b"\"a\nb\"",
        b"-1",
        b"1e309",
        b"NaN",
        b"2011-02-30",
    ];
    for m in 0..120 * scale {
        let mut b = base.to_vec();
        let ins = INSERTS[rng.below(INSERTS.len())];
        let i = rng.below(b.len() + 1);
        b.splice(i..i, ins.iter().copied());
        out.push((format!("insert #{m} {ins:?} at {i}"), b));
    }
    for prefix in [
        &b"\xff\xfe"[..],
        b"\xfe\xff",
        b"\xef\xbb\xbf",
        b"PK\x03\x04",
        b"\xd0\xcf\x11\xe0",
    ] {
        let mut b = prefix.to_vec();
        b.extend_from_slice(base);
        out.push((format!("prefix {prefix:?}"), b));
    }
    out
}

/// Loads the three byte strings; returns why it failed the invariants, if it did.
fn load_checked(c: &[u8], p: &[u8], i: &[u8]) -> Option<String> {
    let r = catch_unwind(AssertUnwindSafe(|| match Cohort::from_readers(c, p, i) {
        Ok(cohort) => cohort
            .warnings()
            .iter()
            .find(|w| w.severity != Severity::Warning)
            .map(|w| format!("Ok with an error among the warnings: {w}")),
        Err(Error::Validation(v)) => {
            let _ = v.to_string();
            (v.n_errors() == 0).then(|| format!("Err without any error problem: {v:?}"))
        }
        Err(e) => Some(format!("unexpected error kind: {e:?}")),
    }));
    match r {
        Ok(x) => x,
        Err(_) => Some("PANICKED".to_string()),
    }
}

#[test]
fn fuzzed_inputs_never_panic() {
    let (cases, persons, incidents) = (
        example("cases.csv"),
        example("persons.csv"),
        example("incidents.csv"),
    );
    assert!(load_checked(&cases, &persons, &incidents).is_none());
    let mut failures = Vec::new();
    let mut n = 0;
    for (what, b) in mutations(&cases, 0x9E37_79B9_7F4A_7C15, 7) {
        n += 1;
        if let Some(f) = load_checked(&b, &persons, &incidents) {
            failures.push(format!("cases {what}: {f}"));
        }
    }
    for (what, b) in mutations(&persons, 0xD1B5_4A32_D192_ED03, 37) {
        n += 1;
        if let Some(f) = load_checked(&cases, &b, &incidents) {
            failures.push(format!("persons {what}: {f}"));
        }
    }
    for (what, b) in mutations(&incidents, 0x2545_F491_4F6C_DD1D, 5) {
        n += 1;
        if let Some(f) = load_checked(&cases, &persons, &b) {
            failures.push(format!("incidents {what}: {f}"));
        }
    }
    assert!(n > 300, "only {n} mutations");
    assert!(
        failures.is_empty(),
        "{} of {n} mutations failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
