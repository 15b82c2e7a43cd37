#![no_main]
//! The HTTP response parser over arbitrary bytes, fed whole and in small pieces, as the answer
//! to a GET and to a HEAD: never a panic, and the piece size does not change what it finds.
use event_rs::http::fuzzing::check_response_parser;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| check_response_parser(data));
