//! Fuzzer-chosen operation sequences on two evbuffers, checked against Vec<u8> models
//! (event_rs::buffer::model). Run: RUSTC_BOOTSTRAP=1 cargo fuzz run evbuffer_model
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    event_rs::buffer::model::run_bytes(data);
});
