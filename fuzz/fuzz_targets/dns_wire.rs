#![no_main]
//! The DNS wire decoder over arbitrary packets, as a query (server side) and as a reply to
//! itself (resolver side): never a panic; a question read from a packet is written again and
//! read back the same; a reply gives at most 32 addresses.
use event_rs::dns::wire::{self, Reader, Sent};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Some(q) = wire::parse_query(data) {
        assert!(!q.questions.is_empty());
        for question in &q.questions {
            let name = &question.name;
            assert!(name.len() <= wire::MAX_NAME);
            // Text with an empty piece ("a..b", ".a", "a.") comes from labels holding dots and
            // does not map back to the same labels; every other name does.
            let empty_piece = !name.is_empty() && name.split(|&b| b == b'.').any(|p| p.is_empty());
            if empty_piece {
                continue;
            }
            let packet = wire::build_query(q.id, name, question.qtype).expect("a parsed name is writable");
            let again = wire::parse_query(&packet).expect("a built query parses");
            assert_eq!(again.questions.len(), 1);
            assert_eq!(&again.questions[0].name, name);
            assert_eq!(again.questions[0].qtype, question.qtype);
        }
    }
    let mut r = Reader::new(data);
    if let Some(h) = r.header() {
        let qtype = [wire::TYPE_A, wire::TYPE_AAAA, wire::TYPE_PTR][(h.id % 3) as usize];
        for (exact_case, want_cname) in [(false, true), (true, false)] {
            let sent = Sent { query: data, qtype, exact_case, want_cname, canon: exact_case, lenient: want_cname };
            let out = wire::parse_reply(data, &h, &sent);
            if let Some(reply) = out.reply {
                match reply.answer {
                    Some(wire::Answer::A(v)) => assert!(v.len() <= wire::MAX_ADDRS),
                    Some(wire::Answer::Aaaa(v)) => assert!(v.len() <= wire::MAX_ADDRS),
                    Some(wire::Answer::Ptr(n)) => assert!(n.len() <= wire::MAX_NAME),
                    None => {}
                }
            }
            if let Some(c) = out.cname {
                assert!(c.len() <= wire::MAX_NAME);
            }
        }
    }
    // Names read at every offset: bounded, and never past the packet.
    for at in 0..data.len().min(64) {
        let mut r = Reader::at(data, at);
        if let Some(n) = r.name() {
            assert!(n.len() <= wire::MAX_NAME);
            assert!(r.pos() <= data.len());
        }
    }
});
