//! Reads a cohort directory and prints the report's Table 5.1 layout.
//!
//! ```text
//! cargo run --release --example recidivism -- examples/data
//! ```

use huisverbod::{Cohort, Error, RecidivismOptions, Source};

fn main() {
    let dir = std::env::args()
        .nth(1)
        .unwrap_or_else(|| concat!(env!("CARGO_MANIFEST_DIR"), "/examples/data").to_string());
    let cohort = match Cohort::from_csv_dir(&dir) {
        Ok(c) => c,
        Err(Error::Validation(v)) => {
            eprintln!("{dir}: {v}");
            std::process::exit(2);
        }
        Err(e) => {
            eprintln!("{dir}: {e}");
            std::process::exit(2);
        }
    };
    for w in cohort.warnings() {
        eprintln!("warning: {w}");
    }
    for (label, sources) in [
        ("police", Some(vec![Source::Police])),
        ("all sources", None),
    ] {
        let options = RecidivismOptions {
            sources,
            window_days: None,
        };
        let rec = match cohort.recidivism(&options) {
            Ok(r) => r,
            Err(e) => {
                eprintln!("{e}");
                std::process::exit(1);
            }
        };
        println!("\nNew incidents ({label})");
        println!(
            "{:<8} {:>6} {:>12} {:>7} {:>10} {:>10}",
            "group", "n", "with new", "%", "mean n", "mean days"
        );
        for g in rec.by_group() {
            let fmt = |v: Option<f64>| v.map_or("-".to_string(), |x| format!("{x:.2}"));
            println!(
                "{:<8} {:>6} {:>12} {:>7} {:>10} {:>10}",
                g.group.as_str(),
                g.n,
                g.n_with_new,
                fmt(g.pct_with_new),
                fmt(g.mean_count),
                fmt(g.mean_days_to_first)
            );
        }
    }
}
