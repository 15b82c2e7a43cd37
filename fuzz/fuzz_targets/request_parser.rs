#![no_main]
//! The request parser over arbitrary bytes, fed whole and in small pieces: it must never
//! panic, and the piece size must not change what it finds.
use event_rs::http::fuzzing::check_request_parser;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| check_request_parser(data));
