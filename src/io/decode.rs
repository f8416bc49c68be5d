//! Turning a file's bytes into UTF-8 text: encodings and separators.
//!
//! Accepted: UTF-8 (with or without the byte-order mark Excel writes),
//! UTF-16 with a byte-order mark, and — when the bytes are not valid UTF-8 —
//! Windows-1252 (the superset of Latin-1 that Dutch Excel exports use), with a
//! warning that says so. Refused with a clear message: Excel workbooks
//! (`.xlsx`/`.xls`), files with NUL bytes (UTF-16 without a mark, binaries).
//!
//! The separator is read off the header line: the most frequent of `,`, `;`
//! and tab. With `;` (Dutch Excel) a decimal comma is accepted in numbers.

use crate::error::{Problems, Rule, Severity};
use std::borrow::Cow;

/// Decoded file contents.
pub(crate) struct Decoded<'a> {
    pub text: Cow<'a, [u8]>,
}

/// Decodes `bytes`; pushes a problem and returns `None` when it cannot.
///
/// Lone carriage returns (old Mac line ends, "CSV (Macintosh)") become line
/// feeds so that row numbers count lines as an editor does.
pub(crate) fn decode<'a>(
    bytes: &'a [u8],
    file: &str,
    problems: &mut Problems,
) -> Option<Decoded<'a>> {
    let mut decoded = decode_bytes(bytes, file, problems)?;
    if decoded.text.iter().all(|b| b.is_ascii_whitespace()) {
        problems.push(
            Severity::Error,
            file,
            None,
            None,
            None,
            Rule::EmptyFile,
            "the file is empty: expected a header line with the column names",
        );
        return None;
    }
    if has_lone_cr(&decoded.text) {
        let text = &decoded.text;
        let fixed: Vec<u8> = (0..text.len())
            .map(|i| {
                if text[i] == b'\r' && text.get(i + 1) != Some(&b'\n') {
                    b'\n'
                } else {
                    text[i]
                }
            })
            .collect();
        decoded.text = Cow::Owned(fixed);
    }
    Some(decoded)
}

fn has_lone_cr(text: &[u8]) -> bool {
    text.iter()
        .enumerate()
        .any(|(i, &b)| b == b'\r' && text.get(i + 1) != Some(&b'\n'))
}

fn decode_bytes<'a>(bytes: &'a [u8], file: &str, problems: &mut Problems) -> Option<Decoded<'a>> {
    let err = |problems: &mut Problems, rule: Rule, msg: &str| {
        problems.push(Severity::Error, file, None, None, None, rule, msg);
        None
    };
    if bytes.is_empty() {
        return err(
            problems,
            Rule::EmptyFile,
            "the file is empty: expected a header line with the column names",
        );
    }
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        return err(
            problems,
            Rule::Encoding,
            "this is an Excel workbook, not a CSV file: save it as 'CSV UTF-8' first",
        );
    }
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return decode_utf8(rest, file, problems);
    }
    for (bom, enc) in [
        (&b"\xFF\xFE"[..], encoding_rs::UTF_16LE),
        (&b"\xFE\xFF"[..], encoding_rs::UTF_16BE),
    ] {
        if bytes.starts_with(bom) {
            let (text, _, had_errors) = enc.decode(bytes);
            if had_errors {
                return err(
                    problems,
                    Rule::Encoding,
                    "the file starts with a UTF-16 byte-order mark but is not valid UTF-16",
                );
            }
            return Some(Decoded {
                text: Cow::Owned(text.into_owned().into_bytes()),
            });
        }
    }
    decode_utf8(bytes, file, problems)
}

fn decode_utf8<'a>(bytes: &'a [u8], file: &str, problems: &mut Problems) -> Option<Decoded<'a>> {
    if bytes.contains(&0) {
        problems.push(
            Severity::Error,
            file,
            None,
            None,
            None,
            Rule::Encoding,
            "the file contains NUL bytes: it is not a text CSV file (UTF-16 without a byte-order mark, \
             or a binary file); save it as 'CSV UTF-8'",
        );
        return None;
    }
    match std::str::from_utf8(bytes) {
        Ok(_) => Some(Decoded {
            text: Cow::Borrowed(bytes),
        }),
        Err(e) => {
            let line = 1 + bytes[..e.valid_up_to()]
                .iter()
                .filter(|&&b| b == b'\n')
                .count() as u64;
            problems.push(
                Severity::Warning,
                file,
                Some(line),
                None,
                None,
                Rule::Encoding,
                "the file is not valid UTF-8 (first invalid byte on this row); bytes that are not \
                 UTF-8 were read as Windows-1252/Latin-1, as Excel exports them. Save as 'CSV UTF-8' \
                 to silence this",
            );
            Some(Decoded {
                text: Cow::Owned(mixed_to_utf8(bytes).into_bytes()),
            })
        }
    }
}

/// Keeps the valid UTF-8 runs of `bytes` and reads each invalid byte as
/// Windows-1252, so that a file with one stray Latin-1 byte keeps its
/// correctly encoded characters elsewhere.
fn mixed_to_utf8(mut bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() + 16);
    loop {
        match std::str::from_utf8(bytes) {
            Ok(s) => {
                out.push_str(s);
                return out;
            }
            Err(e) => {
                let (good, rest) = bytes.split_at(e.valid_up_to());
                // `good` is valid by construction of `valid_up_to`.
                out.push_str(std::str::from_utf8(good).unwrap_or_default());
                let bad = e.error_len().unwrap_or(rest.len()).max(1).min(rest.len());
                let (text, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(&rest[..bad]);
                out.push_str(&text);
                bytes = &rest[bad..];
            }
        }
    }
}

/// The separator of a CSV text, guessed from its first line.
pub(crate) fn sniff_delimiter(text: &[u8]) -> u8 {
    let first = text.split(|&b| b == b'\n').next().unwrap_or(&[]);
    let count = |d: u8| first.iter().filter(|&&b| b == d).count();
    let (comma, semi, tab) = (count(b','), count(b';'), count(b'\t'));
    if semi > comma && semi >= tab {
        b';'
    } else if tab > comma && tab > semi {
        b'\t'
    } else {
        b','
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latin1_is_read_with_a_warning() {
        let mut p = Problems::default();
        // "Groningen" spelled with e-acute (0xE9 in Latin-1), invalid as UTF-8, on line 2.
        let d = decode(b"case_id,region\nc1,Gr\xe9ningen\n", "cases.csv", &mut p).unwrap();
        assert_eq!(
            std::str::from_utf8(&d.text).unwrap(),
            "case_id,region\nc1,Gréningen\n"
        );
        assert_eq!(p.list.len(), 1);
        assert_eq!(p.list[0].severity, Severity::Warning);
        assert_eq!(p.list[0].row, Some(2));
    }

    #[test]
    fn stray_latin1_byte_keeps_the_valid_utf8() {
        let mut p = Problems::default();
        // "é" correctly encoded (C3 A9) on line 2, a lone Latin-1 E9 on line 3.
        let d = decode(b"a\n\xc3\xa9\n\xe9\n", "f", &mut p).unwrap();
        assert_eq!(std::str::from_utf8(&d.text).unwrap(), "a\né\né\n");
        assert_eq!(p.list[0].row, Some(3));
    }

    #[test]
    fn lone_carriage_returns_become_line_feeds() {
        let mut p = Problems::default();
        let d = decode(b"a,b\r1,2\r\n3,4\r", "f", &mut p).unwrap();
        assert_eq!(&*d.text, b"a,b\n1,2\r\n3,4\n");
    }

    #[test]
    fn bom_and_utf16_are_handled() {
        let mut p = Problems::default();
        let d = decode(b"\xEF\xBB\xBFa,b\n", "f", &mut p).unwrap();
        assert_eq!(&*d.text, b"a,b\n");
        let utf16: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("a,b\n".encode_utf16().flat_map(|u| u.to_le_bytes()))
            .collect();
        let d = decode(&utf16, "f", &mut p).unwrap();
        assert_eq!(&*d.text, b"a,b\n");
        assert!(p.list.is_empty());
    }

    #[test]
    fn empty_binary_and_workbooks_are_refused() {
        for bytes in [
            &b""[..],
            b"  \n",
            b"\xEF\xBB\xBF \n",
            b"PK\x03\x04rest",
            b"a\0b",
        ] {
            let mut p = Problems::default();
            assert!(decode(bytes, "f", &mut p).is_none());
            assert!(p.has_errors());
        }
    }

    #[test]
    fn separators() {
        assert_eq!(sniff_delimiter(b"a;b;c\n1,5;2;3"), b';');
        assert_eq!(sniff_delimiter(b"a,b,c\n"), b',');
        assert_eq!(sniff_delimiter(b"a\tb\n"), b'\t');
        assert_eq!(sniff_delimiter(b"a\n"), b',');
    }
}
