#![no_main]
//! The URI parser over arbitrary strings: never a panic, and what parses joins back to text
//! that parses to the same URI.
use event_rs::http::fuzzing::check_uri_parser;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| check_uri_parser(data));
