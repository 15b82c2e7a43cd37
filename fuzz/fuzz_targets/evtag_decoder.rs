#![no_main]
//! The evtag decoders over arbitrary bytes (as the start of a buffer of that length and of a
//! longer one): never a panic, sizes within the input; and what the encoder writes for a tag
//! and an integer taken from the input decodes to the same values.
use event_rs::rpc::tag::{self, Encoded, NIBBLES_32, NIBBLES_64};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let w = &data[..data.len().min(tag::WINDOW)];
    if let Some((_, n)) = tag::decode_tag(w) {
        assert!(n >= 1 && n <= 5 && n <= w.len());
    }
    for max in [NIBBLES_32, NIBBLES_64] {
        if let Some((v, n)) = tag::decode_int(w, max) {
            assert!(n <= w.len());
            assert_eq!(tag::decode_int(Encoded::default().int(v).as_slice(), NIBBLES_64).map(|x| x.0), Some(v));
        }
    }
    for total in [w.len(), data.len(), data.len() + 1000] {
        if let Ok(h) = tag::header(w, total) {
            assert!(h.size <= w.len());
            assert!(h.size + h.len as usize <= total);
        }
        for need in [0, 1, 0x7f, 0x80] {
            let r = tag::read_int(w, total, need, NIBBLES_64);
            assert!(r.consumed <= total);
            let r = tag::read_timeval(w, total, need);
            assert!(r.consumed <= total);
        }
    }
    // Round trips of values taken from the input.
    if data.len() >= 12 {
        let t = u32::from_le_bytes([data[0], data[1], data[2], data[3]]);
        let v = u64::from_le_bytes(data[4..12].try_into().unwrap());
        let e = Encoded::default().tag(t).int(v);
        let (t2, n) = tag::decode_tag(e.as_slice()).expect("an encoded tag decodes");
        assert_eq!(t2, t);
        assert_eq!(tag::decode_int(&e.as_slice()[n..], NIBBLES_64).map(|x| x.0), Some(v));
    }
});
