//! The properties the fuzz targets (fuzz/) check, shared with a randomized test that runs in
//! `cargo test` where cargo-fuzz is not available.
use super::parser::{parse_message, Kind, REQ_GET, REQ_HEAD};
use super::uri::{Uri, NONCONFORMANT};

/// Parses `data` as a request with several piece sizes and limits: no panic, same outcome.
pub fn check_request_parser(data: &[u8]) {
    for (maxh, maxb) in [(u64::MAX, u64::MAX), (64, 16)] {
        let whole = parse_message(Kind::Request, data, data.len().max(1), maxh, maxb, 0);
        for piece in [1, 3, 17] {
            let part = parse_message(Kind::Request, data, piece, maxh, maxb, 0);
            let key = |r: &Result<super::parser::Parsed, _>| match r {
                Ok(p) => format!("ok {:?} {:?} {:?} {}", p.request, p.headers, p.body, p.rest),
                Err(e) => format!("err {e:?}"),
            };
            // Partial input may only fail earlier for a too-long head (the limit counts bytes
            // still waiting), never succeed differently.
            if let (Ok(_), Ok(_)) = (&whole, &part) {
                assert_eq!(key(&whole), key(&part), "piece {piece}");
            }
        }
    }
    let _ = parse_message(Kind::Response, data, 5, u64::MAX, u64::MAX, REQ_GET);
}

/// Parses `data` as the response to a GET and to a HEAD, whole and in pieces: no panic, and a
/// message read in pieces is the one read whole.
pub fn check_response_parser(data: &[u8]) {
    for method in [REQ_GET, REQ_HEAD] {
        for (maxh, maxb) in [(u64::MAX, u64::MAX), (64, 16)] {
            let key = |r: &Result<super::parser::Parsed, _>| match r {
                Ok(p) => format!("ok {:?} {:?} {:?} {}", p.status, p.headers, p.body, p.rest),
                Err(e) => format!("err {e:?}"),
            };
            let whole = parse_message(Kind::Response, data, data.len().max(1), maxh, maxb, method);
            for piece in [1, 7] {
                let part = parse_message(Kind::Response, data, piece, maxh, maxb, method);
                if let (Ok(_), Ok(_)) = (&whole, &part) {
                    assert_eq!(key(&whole), key(&part), "piece {piece}");
                }
            }
        }
    }
}

/// Parses `data` as a URI (strict and loose): no panic; a URI that joins reparses the same.
pub fn check_uri_parser(data: &[u8]) {
    if data.contains(&0) {
        return;
    }
    for flags in [0, NONCONFORMANT] {
        if let Some(u) = Uri::parse(data, flags) {
            if let Some(text) = u.join() {
                let again = Uri::parse(&text, flags).expect("a joined URI parses");
                assert_eq!(again.join().as_deref(), Some(&text[..]));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::test_rng::Rng;

    const PIECES: &[&[u8]] = &[
        b"GET ",
        b"POST ",
        b"HEAD ",
        b"/",
        b"/a?b=c",
        b" HTTP/1.1",
        b" HTTP/1.0",
        b"\r\n",
        b"\n",
        b"\r",
        b"Host: x",
        b"Content-Length: ",
        b"Transfer-Encoding: chunked",
        b"0",
        b"5",
        b"ff",
        b"-1",
        b"99999999999999999999",
        b";ext",
        b"hello",
        b" ",
        b"\t",
        b":",
        b"\0",
        b"Expect: 100-continue",
        b"Connection: close",
        b"http://",
        b"[::1]",
        b"%41",
        b"%",
        b"#",
        b"?",
        b"@",
        b"\xff",
    ];

    fn random_input(r: &mut Rng) -> Vec<u8> {
        let mut v = Vec::new();
        for _ in 0..r.below(40) {
            if r.below(8) == 0 {
                v.push(r.next() as u8);
            } else {
                v.extend_from_slice(PIECES[r.below(PIECES.len())]);
            }
        }
        v
    }

    #[test]
    fn randomized_request_parser() {
        let mut r = Rng(0x9e3779b97f4a7c15);
        for _ in 0..20000 {
            check_request_parser(&random_input(&mut r));
        }
    }

    #[test]
    fn randomized_response_parser() {
        let mut r = Rng(0x853c49e6748fea9b);
        for _ in 0..20000 {
            let mut v =
                [&b"HTTP/1.1 "[..], b"HTTP/1.0 ", b"200 OK", b"404 ", b"100 Continue", b"204"][r.below(6)].to_vec();
            v.extend(random_input(&mut r));
            check_response_parser(&v);
        }
    }

    #[test]
    fn randomized_uri_parser() {
        let mut r = Rng(0x2545f4914f6cdd1d);
        for _ in 0..50000 {
            check_uri_parser(&random_input(&mut r));
        }
    }
}
