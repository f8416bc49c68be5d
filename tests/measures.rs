//! Recidivism measures and derived variables on the hand-built example cohort
//! (examples/data). Every expected value is worked out by hand in a comment.

use huisverbod::{Cohort, RecidivismOptions, Source};

fn example() -> Cohort {
    Cohort::from_csv_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/examples/data"))
        .expect("example data load")
}

fn police() -> RecidivismOptions {
    RecidivismOptions {
        sources: Some(vec![Source::Police]),
        window_days: None,
    }
}

fn pos(c: &Cohort, id: &str) -> usize {
    c.case_position(id).unwrap()
}

#[test]
fn police_only_measures_by_hand() {
    let c = example();
    let r = c.recidivism(&police()).unwrap();
    // T01 (2011-02-03): I01 police 2011-05-10 -> 28 (to Mar 3) + 31 (Apr 3) + 30 (May 3) + 7 = 96 days.
    let t01 = pos(&c, "T01");
    assert_eq!(
        (r.any[t01], r.count[t01], r.days_to_first[t01]),
        (true, 1, Some(96))
    );
    // T02 (2011-03-15): I04 police 2011-07-01 -> 31 + 30 + 31 + 16 = 108; I03 is SHG only.
    let t02 = pos(&c, "T02");
    assert_eq!((r.count[t02], r.days_to_first[t02]), (1, Some(108)));
    // T04: I06 (2012-10-01) lies after followup_end 2012-08-01 -> not counted, censored.
    let t04 = pos(&c, "T04");
    assert_eq!(
        (r.any[t04], r.count[t04], r.days_to_first[t04]),
        (false, 0, None)
    );
    // Censored time for T04: 2011-06-07 -> 2012-06-07 is 366 days (it spans 2012-02-29),
    // -> 2012-07-07 is 30 more, -> 2012-08-01 is 25 more: 421.
    assert_eq!((r.time[t04], r.event[t04]), (421, false));
    // C01 (2011-01-28): I07 2011-02-14 (17 days) and I08, both police -> count 2.
    let c01 = pos(&c, "C01");
    assert_eq!(
        (r.count[c01], r.days_to_first[c01], r.time[c01]),
        (2, Some(17), 17)
    );
    // C04 (2011-08-30): I10 police 2011-09-20 -> 21 days.
    let c04 = pos(&c, "C04");
    assert_eq!(r.days_to_first[c04], Some(21));
}

#[test]
fn all_sources_count_each_incident_once() {
    let c = example();
    let r = c.recidivism(&RecidivismOptions::default()).unwrap();
    // T01: I01 (police + shg, once) and I02 (shg) -> 2.
    assert_eq!(r.count[pos(&c, "T01")], 2);
    // T02: I03 shg 2011-03-20 (5 days), I04 police, I05 bjz_amk -> 3, first after 5 days.
    let t02 = pos(&c, "T02");
    assert_eq!((r.count[t02], r.days_to_first[t02]), (3, Some(5)));
    // C04: I10 police 2011-09-20 and shg 2011-09-21: one incident, dated at the earliest: 21 days.
    let c04 = pos(&c, "C04");
    assert_eq!((r.count[c04], r.days_to_first[c04]), (1, Some(21)));
}

#[test]
fn window_censors_later_incidents() {
    let c = example();
    let r = c
        .recidivism(&RecidivismOptions {
            sources: None,
            window_days: Some(100),
        })
        .unwrap();
    // T01: I01 at 96 days is inside 100, I02 (2011-11-02, 272 days) is not.
    assert_eq!(r.count[pos(&c, "T01")], 1);
    // T02: I03 at 5 days inside; I04 at 108 and I05 outside.
    assert_eq!(r.count[pos(&c, "T02")], 1);
    // T03 has no incidents: censored at the window, 100 days.
    let t03 = pos(&c, "T03");
    assert_eq!((r.time[t03], r.event[t03]), (100, false));
    assert!(c
        .recidivism(&RecidivismOptions {
            sources: None,
            window_days: Some(0)
        })
        .is_err());
    assert!(c
        .recidivism(&RecidivismOptions {
            sources: Some(vec![]),
            window_days: None
        })
        .is_err());
}

#[test]
fn table_5_1_layout_by_hand() {
    let c = example();
    let g = c.recidivism(&police()).unwrap().by_group();
    // thv: T01 (96 days, 1) and T02 (108 days, 1) of 5 -> 40%; counts mean 1, sd 0;
    // days mean 102, sd sqrt((6^2 + 6^2) / 1) = 8.48528137423857.
    assert_eq!((g[0].n, g[0].n_with_new), (5, 2));
    assert!((g[0].pct_with_new.unwrap() - 40.0).abs() < 1e-12);
    assert_eq!((g[0].mean_count, g[0].sd_count), (Some(1.0), Some(0.0)));
    assert!((g[0].mean_days_to_first.unwrap() - 102.0).abs() < 1e-12);
    assert!((g[0].sd_days_to_first.unwrap() - 72f64.sqrt()).abs() < 1e-12);
    // control: C01 (2, 17 days), C03 (1, 198 days), C04 (1, 21 days) of 5 -> 60%.
    // counts: mean 4/3, sd sqrt(((2/3)^2 + 2 (1/3)^2) / 2) = sqrt(1/3).
    // days: mean 236/3; squared deviations sum 21368.666..., / 2 -> sd sqrt(10684.333...).
    assert_eq!((g[1].n, g[1].n_with_new), (5, 3));
    assert!((g[1].mean_count.unwrap() - 4.0 / 3.0).abs() < 1e-12);
    assert!((g[1].sd_count.unwrap() - (1.0f64 / 3.0).sqrt()).abs() < 1e-12);
    assert!((g[1].mean_days_to_first.unwrap() - 236.0 / 3.0).abs() < 1e-12);
    let ss = (17.0f64 - 236.0 / 3.0).powi(2)
        + (198.0f64 - 236.0 / 3.0).powi(2)
        + (21.0f64 - 236.0 / 3.0).powi(2);
    assert!((g[1].sd_days_to_first.unwrap() - (ss / 2.0).sqrt()).abs() < 1e-9);
}

#[test]
fn derived_variables_on_the_example() {
    let c = example();
    let p = |id: &str| {
        c.persons()
            .person_id
            .iter()
            .position(|x| x == Some(id))
            .unwrap()
    };
    // T01-P cooperation 4 -> sufficient; T02-P 1 -> not; T03-P unknown stays unknown.
    let coop = c.cooperation_sufficient();
    assert_eq!(
        (coop[p("T01-P")], coop[p("T02-P")], coop[p("T03-P")]),
        (Some(true), Some(false), None)
    );
    // T01-P problem areas: relational, work, addiction = 3 -> heavy; T05-P all unknown -> unknown.
    let n = c.problem_area_count();
    assert_eq!((n[p("T01-P")], n[p("T05-P")]), (Some(3), None));
    assert_eq!(c.problem_load_heavy()[p("T01-P")], Some(true));
    // T01: consultations 2 (1) + plan (1) + conversation (1) + after yes (1) = 4.
    // T02: 1 (1) + plan (1) + no conversation (0) + partial (0) = 2. T05: consultations unknown -> unknown.
    let s = c.system_approach_score();
    assert_eq!(
        (s[pos(&c, "T01")], s[pos(&c, "T02")], s[pos(&c, "T05")]),
        (Some(4), Some(2), None)
    );
    // Priority 4 -> highest; 2 -> not.
    let pr = c.priority_highest();
    assert_eq!(
        (pr[pos(&c, "T01")], pr[pos(&c, "T03")]),
        (Some(true), Some(false))
    );
    // First contact: T01-V 6.5 h -> within 24 h; T02-P 48 h -> not; T04-P exactly 24 -> within.
    let fc = c.first_contact_within_24h();
    assert_eq!(
        (fc[p("T01-V")], fc[p("T02-P")], fc[p("T04-P")]),
        (Some(true), Some(false), Some(true))
    );
}

#[test]
fn csv_round_trip_is_lossless() {
    let c = example();
    let dir = tempfile::tempdir().unwrap();
    c.to_csv_dir(dir.path()).unwrap();
    let back = Cohort::from_csv_dir(dir.path()).unwrap();
    assert_eq!(c, back);
    // And a second trip gives the same bytes.
    let dir2 = tempfile::tempdir().unwrap();
    back.to_csv_dir(dir2.path()).unwrap();
    for f in huisverbod::io::FILE_NAMES {
        assert_eq!(
            std::fs::read(dir.path().join(f)).unwrap(),
            std::fs::read(dir2.path().join(f)).unwrap()
        );
    }
}

#[test]
fn unknown_stays_unknown_and_extra_columns_survive() {
    let cases = "case_id,group,incident_date,followup_end,threat,note\n\
                 c1,thv,2011-01-01,2012-01-01,,first\nc2,control,2011-01-01,2012-01-01,nee,\n";
    let c = Cohort::from_readers(
        cases.as_bytes(),
        &b"person_id,case_id,role\n"[..],
        &b"incident_id,case_id,date,source\n"[..],
    )
    .unwrap();
    assert_eq!(c.case(0).unwrap().attrs.threat, None);
    assert_eq!(c.case(1).unwrap().attrs.threat, Some(false));
    let mut out = Vec::new();
    c.write_table(huisverbod::Table::Cases, &mut out).unwrap();
    let text = String::from_utf8(out).unwrap();
    assert!(text.lines().next().unwrap().ends_with(",note"));
    assert!(text.lines().nth(1).unwrap().ends_with(",first"));
}

#[test]
fn filter_keeps_persons_and_incidents_of_kept_cases() {
    let c = example();
    let keep: Vec<bool> = (0..c.n_cases())
        .map(|i| c.case(i).unwrap().case_id != "C01")
        .collect();
    let f = c.filter_cases(&keep).unwrap();
    assert_eq!(f.n_cases(), 9);
    // C01 has 3 persons and 2 incident rows.
    assert_eq!(f.n_persons(), c.n_persons() - 3);
    assert_eq!(f.n_incident_rows(), c.n_incident_rows() - 2);
    let r = f.recidivism(&police()).unwrap();
    assert_eq!(r.count[f.case_position("C04").unwrap()], 1);
}

/// A file large enough to be read in parallel chunks gives the same cohort,
/// and the same row numbers in problems, as the one-piece reader (which a
/// quoted field forces).
#[test]
fn chunked_reading_equals_sequential_reading() {
    use std::fmt::Write as _;
    let n = 60_000; // about 3.5 MB: several chunks
    let mut plain =
        String::from("case_id,group,region,incident_date,followup_end,threat,case_consultations\n");
    for i in 0..n {
        let g = if i % 3 == 0 { "thv" } else { "control" };
        let t = ["true", "false", ""][i % 3];
        writeln!(
            plain,
            "case{i:06},{g},regio{},2011-0{}-1{},2012-08-01,{t},{}",
            i % 7,
            1 + i % 9,
            i % 10,
            i % 4
        )
        .unwrap();
    }
    let quoted = plain.replacen("regio0", "\"regio0\"", 1);
    let persons = "person_id,case_id,role\n";
    let incidents = "incident_id,case_id,date,source\ni1,case000005,2012-01-01,police\n";
    let a =
        Cohort::from_readers(plain.as_bytes(), persons.as_bytes(), incidents.as_bytes()).unwrap();
    let b =
        Cohort::from_readers(quoted.as_bytes(), persons.as_bytes(), incidents.as_bytes()).unwrap();
    assert_eq!(a.n_cases(), n);
    assert_eq!(a, b);
    // Errors late in the file carry their true line numbers: data row i is on line i + 2.
    let bad_rows = [1_234usize, 33_333, 59_999];
    let mut broken = plain.clone();
    for &r in &bad_rows {
        let from = format!("case{r:06},");
        let pos = broken.find(&from).unwrap() + from.len();
        let end = pos + broken[pos..].find(',').unwrap();
        broken.replace_range(pos..end, "groep");
    }
    let Err(huisverbod::Error::Validation(v)) =
        Cohort::from_readers(broken.as_bytes(), persons.as_bytes(), incidents.as_bytes())
    else {
        panic!("expected validation errors");
    };
    let rows: Vec<u64> = v.problems.iter().map(|p| p.row.unwrap()).collect();
    assert_eq!(
        rows,
        bad_rows.iter().map(|&r| r as u64 + 2).collect::<Vec<_>>()
    );
}
