//! The DNS message format (RFC 1035), read and written the way libevent reads and writes it.
//!
//! Everything here works on byte slices and owned vectors, never on raw pointers: a packet from
//! the network is hostile until proven otherwise, so every read is bounds-checked and a malformed
//! packet is an ordinary `None`, never a panic. The rules for what is accepted are libevent's
//! (names of at most 255 characters, compression pointers anywhere inside the packet with a jump
//! budget against loops, at most 32 addresses kept from one reply), so that the same packets are
//! accepted and refused.

pub const TYPE_A: u16 = 1;
pub const TYPE_CNAME: u16 = 5;
pub const TYPE_SOA: u16 = 6;
pub const TYPE_PTR: u16 = 12;
pub const TYPE_AAAA: u16 = 28;
/// EDNS0's pseudo-record (RFC 6891), whose class is the sender's UDP payload size.
pub const TYPE_OPT: u16 = 41;
pub const CLASS_INET: u16 = 1;

pub const HEADER_LEN: usize = 12;
/// The longest name text accepted or produced (libevent's 256-byte buffers, NUL included).
pub const MAX_NAME: usize = 255;
/// The longest label.
pub const MAX_LABEL: usize = 63;
/// Addresses kept from one reply; further ones are ignored.
pub const MAX_ADDRS: usize = 32;
/// The size of the datagram buffers: longer datagrams are cut to this length when read.
pub const MAX_PACKET: usize = 1500;
/// The largest reply the server sends; longer ones are cut here and marked truncated.
pub const MAX_UDP_REPLY: usize = 512;
/// The longest message over TCP (its 2-byte length prefix).
pub const MAX_TCP_MESSAGE: usize = 65535;

// Header flag bits.
pub const FLAG_QR: u16 = 0x8000;
pub const FLAG_TC: u16 = 0x0200;
pub const FLAG_RD: u16 = 0x0100;
pub const RCODE_MASK: u16 = 0x000f;
pub const RCODE_NXDOMAIN: u16 = 3;

/// The fixed part of every message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Header {
    pub id: u16,
    pub flags: u16,
    pub qdcount: u16,
    pub ancount: u16,
    pub nscount: u16,
    pub arcount: u16,
}

/// A cursor over a received packet. Reads past the end fail; `skip` may move past the end (a
/// record claiming more data than the packet holds), after which every read fails.
pub struct Reader<'a> {
    pkt: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    pub fn new(pkt: &'a [u8]) -> Self {
        Reader { pkt, pos: 0 }
    }

    pub fn at(pkt: &'a [u8], pos: usize) -> Self {
        Reader { pkt, pos }
    }

    pub fn pos(&self) -> usize {
        self.pos
    }

    pub fn bytes(&mut self, n: usize) -> Option<&'a [u8]> {
        let end = self.pos.checked_add(n)?;
        let s = self.pkt.get(self.pos..end)?;
        self.pos = end;
        Some(s)
    }

    pub fn u8(&mut self) -> Option<u8> {
        self.bytes(1).map(|b| b[0])
    }

    pub fn u16(&mut self) -> Option<u16> {
        self.bytes(2).map(|b| u16::from_be_bytes([b[0], b[1]]))
    }

    pub fn u32(&mut self) -> Option<u32> {
        self.bytes(4).map(|b| u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
    }

    pub fn skip(&mut self, n: usize) {
        self.pos = self.pos.saturating_add(n);
    }

    pub fn header(&mut self) -> Option<Header> {
        Some(Header {
            id: self.u16()?,
            flags: self.u16()?,
            qdcount: self.u16()?,
            ancount: self.u16()?,
            nscount: self.u16()?,
            arcount: self.u16()?,
        })
    }

    /// Reads a name as dotted text. Label bytes are copied as they are (a label may hold a dot
    /// or a NUL; the text is then not a faithful rendering, as in libevent). Fails on a name
    /// longer than 255 characters, a pointer outside the packet, or more pointer jumps than
    /// the packet has bytes (a loop). After a pointer, the cursor continues after the first
    /// pointer, as the name ends there in this part of the packet.
    pub fn name(&mut self) -> Option<Vec<u8>> {
        let len = self.pkt.len();
        let mut out = Vec::new();
        let mut at = self.pos;
        let mut resume_at = None;
        let mut jumps = 0usize;
        loop {
            let label = *self.pkt.get(at)?;
            at += 1;
            if label == 0 {
                break;
            }
            if label & 0xc0 != 0 {
                // Any of the two top bits makes a pointer, as libevent reads it.
                let low = *self.pkt.get(at)?;
                at += 1;
                resume_at.get_or_insert(at);
                at = ((label as usize & 0x3f) << 8) | low as usize;
                jumps += 1;
                if at >= len || jumps > len {
                    return None;
                }
                continue;
            }
            let n = label as usize;
            if !out.is_empty() {
                out.push(b'.');
            }
            out.extend_from_slice(self.pkt.get(at..at + n)?);
            if out.len() > MAX_NAME {
                return None;
            }
            at += n;
        }
        self.pos = resume_at.unwrap_or(at);
        Some(out)
    }
}

/// Why a name could not be written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EncodeError {
    /// A label longer than 63 bytes.
    BadLabel,
    /// The name is longer than 255 characters, or the packet is full.
    Overflow,
}

/// The names already written to a packet, by every suffix, for compression. Suffixes are
/// compared exactly (case matters) and at most 128 are remembered, as in libevent.
#[derive(Default)]
pub struct NameTable {
    /// The suffixes, end to end; each entry is (start, length) in it and the packet offset.
    text: Vec<u8>,
    entries: Vec<(usize, usize, usize)>,
}

const MAX_TABLE: usize = 128;

impl NameTable {
    fn find(&self, name: &[u8]) -> Option<usize> {
        self.entries.iter().find(|&&(start, len, _)| &self.text[start..start + len] == name).map(|&(_, _, at)| at)
    }

    fn add(&mut self, name: &[u8], at: usize) {
        if self.entries.len() < MAX_TABLE {
            self.entries.push((self.text.len(), name.len(), at));
            self.text.extend_from_slice(name);
        }
    }
}

/// A packet being built, never longer than `limit` bytes.
pub struct Writer {
    pub buf: Vec<u8>,
    limit: usize,
    table: Option<NameTable>,
}

impl Writer {
    pub fn new(limit: usize, compress: bool) -> Self {
        Writer { buf: Vec::with_capacity(limit.min(MAX_PACKET)), limit, table: compress.then(NameTable::default) }
    }

    fn room(&self, n: usize) -> Result<(), EncodeError> {
        if self.buf.len() + n > self.limit {
            Err(EncodeError::Overflow)
        } else {
            Ok(())
        }
    }

    pub fn u16(&mut self, v: u16) -> Result<(), EncodeError> {
        self.room(2)?;
        self.buf.extend_from_slice(&v.to_be_bytes());
        Ok(())
    }

    pub fn u32(&mut self, v: u32) -> Result<(), EncodeError> {
        self.room(4)?;
        self.buf.extend_from_slice(&v.to_be_bytes());
        Ok(())
    }

    pub fn bytes(&mut self, b: &[u8]) -> Result<(), EncodeError> {
        self.room(b.len())?;
        self.buf.extend_from_slice(b);
        Ok(())
    }

    pub fn header(&mut self, h: &Header) -> Result<(), EncodeError> {
        for v in [h.id, h.flags, h.qdcount, h.ancount, h.nscount, h.arcount] {
            self.u16(v)?;
        }
        Ok(())
    }

    /// Writes dotted text as labels. Each dot ends a label, so "a..b" has an empty label in
    /// the middle and a trailing dot ends the name with the root label. With a table, the
    /// longest remainder already written becomes a pointer to it.
    pub fn name(&mut self, name: &[u8]) -> Result<(), EncodeError> {
        if name.len() > MAX_NAME {
            return Err(EncodeError::Overflow);
        }
        let mut rest = name;
        loop {
            if let Some(at) = self.table.as_ref().and_then(|t| t.find(rest)) {
                return self.u16(0xc000 | at as u16);
            }
            let (label, next) = match rest.iter().position(|&b| b == b'.') {
                Some(i) => (&rest[..i], Some(&rest[i + 1..])),
                None => (rest, None),
            };
            if label.len() > MAX_LABEL {
                return Err(EncodeError::BadLabel);
            }
            self.room(label.len() + 1)?;
            let here = self.buf.len();
            if let Some(t) = self.table.as_mut() {
                t.add(rest, here);
            }
            self.buf.push(label.len() as u8);
            self.buf.extend_from_slice(label);
            match next {
                Some(n) => rest = n,
                None => break,
            }
        }
        // A name whose last label was empty (a trailing dot, or "") already ends with the root.
        if self.buf.last().is_none_or(|&b| b != 0) {
            self.room(1)?;
            self.buf.push(0);
        }
        Ok(())
    }
}

/// A standard query for one name, recursion desired, as the resolver sends it.
pub fn build_query(id: u16, name: &[u8], qtype: u16) -> Result<Vec<u8>, EncodeError> {
    let mut w = Writer::new(HEADER_LEN + MAX_NAME + 2 + 4, false);
    w.header(&Header { id, flags: FLAG_RD, qdcount: 1, ancount: 0, nscount: 0, arcount: 0 })?;
    w.name(name)?;
    w.u16(qtype)?;
    w.u16(CLASS_INET)?;
    Ok(w.buf)
}

/// Appends an EDNS0 OPT record advertising `udp_size` to a built query (one additional record).
pub fn add_opt(packet: &mut Vec<u8>, udp_size: u16) {
    if packet.len() < HEADER_LEN {
        return;
    }
    packet.extend_from_slice(&[0, (TYPE_OPT >> 8) as u8, TYPE_OPT as u8]);
    packet.extend_from_slice(&udp_size.to_be_bytes());
    packet.extend_from_slice(&[0, 0, 0, 0, 0, 0]);
    packet[10..12].copy_from_slice(&1u16.to_be_bytes());
}

/// The PTR name of an IPv4 address given in network order: "4.3.2.1.in-addr.arpa".
pub fn reverse_name_v4(octets: [u8; 4]) -> Vec<u8> {
    format!("{}.{}.{}.{}.in-addr.arpa", octets[3], octets[2], octets[1], octets[0]).into_bytes()
}

/// The PTR name of an IPv6 address: its nibbles in reverse, lowercase, then "ip6.arpa".
pub fn reverse_name_v6(octets: [u8; 16]) -> Vec<u8> {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut name = Vec::with_capacity(72);
    for &byte in octets.iter().rev() {
        name.extend_from_slice(&[HEX[(byte & 0xf) as usize], b'.', HEX[(byte >> 4) as usize], b'.']);
    }
    name.extend_from_slice(b"ip6.arpa");
    name
}

/// Replaces the id of a built query.
pub fn set_id(packet: &mut [u8], id: u16) {
    if packet.len() >= 2 {
        packet[..2].copy_from_slice(&id.to_be_bytes());
    }
}

// ---- replies, as the resolver reads them ---------------------------------------------------

/// The records of a reply that answer the question.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer {
    A(Vec<[u8; 4]>),
    Aaaa(Vec<[u8; 16]>),
    Ptr(Vec<u8>),
}

/// What a reply to one of our queries says, once its question matched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reply {
    /// The answer, when a record of the asked type was there (an A record with no data gives
    /// an empty list, which counts as an answer, as in libevent).
    pub answer: Option<Answer>,
    /// The smallest TTL of the records used (and, without an answer, of an SOA in the
    /// authority section and its minimum field); 0 when none.
    pub ttl: u32,
}

/// The outcome of reading a reply: `reply` is `None` when the packet is malformed, its
/// question does not match ours, or its code is an error other than NXDOMAIN (the caller then
/// goes by the header's flags alone). A CNAME target read before the end is kept either way.
#[derive(Debug, Default)]
pub struct ParsedReply {
    pub reply: Option<Reply>,
    pub cname: Option<Vec<u8>>,
    /// With `Sent::canon`: the end of the CNAME chain that starts at the question's name.
    pub canon: Option<Vec<u8>>,
}

/// What the resolver sent, to check a reply against.
pub struct Sent<'a> {
    /// The query packet as sent (its question is compared with the reply's).
    pub query: &'a [u8],
    pub qtype: u16,
    /// Compare question names exactly (randomize-case off) rather than ignoring ASCII case.
    pub exact_case: bool,
    /// Read the first CNAME target (evdns_getaddrinfo with AI_CANONNAME).
    pub want_cname: bool,
    /// Follow the CNAME chain from the question's name (DNS_CNAME_CALLBACK).
    pub canon: bool,
    /// The reply is truncated and taken as it is (DNS_QUERY_IGNTC): the TC bit is not an
    /// error, and reading stops, keeping what was read, at the first record cut short.
    pub lenient: bool,
}

/// Reads the body of a reply whose header `h` is already read (the id matched `sent`).
pub fn parse_reply(pkt: &[u8], h: &Header, sent: &Sent) -> ParsedReply {
    let mut out = ParsedReply::default();
    let tc = if sent.lenient { 0 } else { FLAG_TC };
    let err = h.flags & (tc | RCODE_MASK);
    if err != 0 && err != RCODE_NXDOMAIN {
        return out;
    }
    let mut chain = Vec::new();
    out.reply = read_body(pkt, h, sent, &mut out.cname, &mut chain);
    if sent.canon && out.reply.is_some() {
        out.canon = follow_chain(sent.query, &chain);
    }
    out
}

/// The last name of the CNAME chain starting at the first question of `query` (at most 16
/// links, so a loop ends); `None` when no CNAME starts there.
fn follow_chain(query: &[u8], chain: &[(Vec<u8>, Vec<u8>)]) -> Option<Vec<u8>> {
    let mut at = Reader::at(query, HEADER_LEN).name()?;
    let mut moved = false;
    for _ in 0..16 {
        let Some((_, target)) = chain.iter().find(|(owner, _)| owner.eq_ignore_ascii_case(&at)) else { break };
        at = target.clone();
        moved = true;
    }
    moved.then_some(at)
}

fn read_body(
    pkt: &[u8],
    h: &Header,
    sent: &Sent,
    cname: &mut Option<Vec<u8>>,
    chain: &mut Vec<(Vec<u8>, Vec<u8>)>,
) -> Option<Reply> {
    let mut r = Reader::at(pkt, HEADER_LEN);
    let mut matched = false;
    for _ in 0..h.qdcount {
        // Each question is compared with the text at the same place of our query, as libevent
        // does: only a reply whose first question is ours matches.
        let at = r.pos();
        let theirs = r.name()?;
        let ours = Reader::at(sent.query, at).name()?;
        let same = if sent.exact_case { theirs == ours } else { theirs.eq_ignore_ascii_case(&ours) };
        matched |= same;
        r.skip(4);
        if r.pos() > pkt.len() {
            return None;
        }
    }
    if !matched {
        return None;
    }

    let mut ttl = u32::MAX;
    let mut answer: Option<Answer> = None;
    let complete = read_answers(&mut r, h, sent, &mut ttl, &mut answer, cname, chain);
    if complete.is_none() {
        // A record cut short: the reply is malformed, unless it is a truncated one taken as
        // it is, which keeps the records read.
        if !sent.lenient {
            return None;
        }
        return Some(Reply { answer, ttl: if ttl == u32::MAX { 0 } else { ttl } });
    }

    if answer.is_none() {
        // Without an answer, an SOA says how long the absence may be cached.
        let soa = read_soa_ttl(&mut r, h, &mut ttl);
        if soa.is_none() && !sent.lenient {
            return None;
        }
    }
    Some(Reply { answer, ttl: if ttl == u32::MAX { 0 } else { ttl } })
}

fn read_soa_ttl(r: &mut Reader, h: &Header, ttl: &mut u32) -> Option<()> {
    for _ in 0..h.nscount {
        r.name()?;
        let rtype = r.u16()?;
        let class = r.u16()?;
        let rttl = r.u32()?;
        let len = r.u16()? as usize;
        if rtype == TYPE_SOA && class == CLASS_INET {
            r.name()?;
            r.name()?;
            let _serial = r.u32()?;
            let _refresh = r.u32()?;
            let _retry = r.u32()?;
            let _expire = r.u32()?;
            let minimum = r.u32()?;
            *ttl = (*ttl).min(rttl).min(minimum);
        } else {
            r.skip(len);
        }
    }
    Some(())
}

/// The answer section: the records of the asked type (and CNAME targets when asked for).
fn read_answers(
    r: &mut Reader,
    h: &Header,
    sent: &Sent,
    ttl: &mut u32,
    answer: &mut Option<Answer>,
    cname: &mut Option<Vec<u8>>,
    chain: &mut Vec<(Vec<u8>, Vec<u8>)>,
) -> Option<()> {
    for _ in 0..h.ancount {
        let owner = r.name()?;
        let rtype = r.u16()?;
        let class = r.u16()?;
        let rttl = r.u32()?;
        let len = r.u16()? as usize;
        match rtype {
            TYPE_A if class == CLASS_INET && sent.qtype == TYPE_A => {
                if !len.is_multiple_of(4) {
                    return None;
                }
                let mut list = match answer.take() {
                    Some(Answer::A(l)) => l,
                    _ => Vec::new(),
                };
                let take = (len / 4).min(MAX_ADDRS - list.len());
                *ttl = (*ttl).min(rttl);
                let data = r.bytes(take * 4)?;
                list.extend(data.chunks_exact(4).map(|c| [c[0], c[1], c[2], c[3]]));
                let full = list.len() == MAX_ADDRS;
                *answer = Some(Answer::A(list));
                if full {
                    break;
                }
                r.skip(len - take * 4);
            }
            TYPE_AAAA if class == CLASS_INET && sent.qtype == TYPE_AAAA => {
                if !len.is_multiple_of(16) {
                    return None;
                }
                let mut list = match answer.take() {
                    Some(Answer::Aaaa(l)) => l,
                    _ => Vec::new(),
                };
                let take = (len / 16).min(MAX_ADDRS - list.len());
                *ttl = (*ttl).min(rttl);
                let data = r.bytes(take * 16)?;
                list.extend(data.chunks_exact(16).map(|c| {
                    let mut a = [0u8; 16];
                    a.copy_from_slice(c);
                    a
                }));
                let full = list.len() == MAX_ADDRS;
                *answer = Some(Answer::Aaaa(list));
                if full {
                    break;
                }
                r.skip(len - take * 16);
            }
            TYPE_PTR if class == CLASS_INET && sent.qtype == TYPE_PTR => {
                let target = r.name()?;
                *ttl = (*ttl).min(rttl);
                *answer = Some(Answer::Ptr(target));
                break;
            }
            TYPE_CNAME if (sent.want_cname && cname.is_none()) || sent.canon => {
                let end = r.pos().saturating_add(len);
                let target = r.name()?;
                if sent.want_cname && cname.is_none() {
                    *cname = Some(target.clone());
                }
                if sent.canon && chain.len() < 64 {
                    chain.push((owner, target));
                }
                if sent.canon {
                    // Go by the record's length (the name may be compressed or padded).
                    *r = Reader::at(r.pkt, end);
                }
            }
            _ => r.skip(len),
        }
    }

    Some(())
}

// ---- queries and replies, as the server reads and writes them -------------------------------

/// One question of a received query. The name stops at a NUL byte inside a label, since
/// programs read it as a C string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Question {
    pub name: Vec<u8>,
    pub qtype: u16,
    pub class: u16,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Query {
    pub id: u16,
    /// The RD and CD bits of the query: the only ones a reply copies.
    pub flags: u16,
    pub questions: Vec<Question>,
    /// The UDP payload size of an EDNS0 OPT record in the additional section, if any.
    pub udp_size: Option<u16>,
}

/// Reads a query sent to the server: `None` for a reply, a query without questions, or a
/// malformed one. Anything after the questions is ignored. The opcode is not checked (libevent
/// masks it away before its check).
pub fn parse_query(pkt: &[u8]) -> Option<Query> {
    let mut r = Reader::new(pkt);
    let h = r.header()?;
    if h.flags & FLAG_QR != 0 || h.qdcount == 0 {
        return None;
    }
    let mut questions = Vec::with_capacity(h.qdcount as usize);
    for _ in 0..h.qdcount {
        let mut name = r.name()?;
        if let Some(nul) = name.iter().position(|&b| b == 0) {
            name.truncate(nul);
        }
        let qtype = r.u16()?;
        let class = r.u16()?;
        questions.push(Question { name, qtype, class });
    }
    let udp_size = find_opt(&mut r, &h);
    Some(Query { id: h.id, flags: h.flags & 0x0110, questions, udp_size })
}

/// The class (the UDP payload size) of the first OPT record after the questions; `None` when
/// there is none or the records cannot be read.
fn find_opt(r: &mut Reader, h: &Header) -> Option<u16> {
    let records = h.ancount as usize + h.nscount as usize + h.arcount as usize;
    for i in 0..records {
        r.name()?;
        let rtype = r.u16()?;
        let class = r.u16()?;
        r.u32()?;
        let len = r.u16()? as usize;
        if rtype == TYPE_OPT && i >= h.ancount as usize + h.nscount as usize {
            return Some(class);
        }
        r.bytes(len)?;
    }
    None
}

/// The data of a resource record the server sends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RData {
    /// A name (CNAME, PTR, NS targets), compressed like the others.
    Name(Vec<u8>),
    Bytes(Vec<u8>),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    pub name: Vec<u8>,
    pub rtype: u16,
    pub class: u16,
    pub ttl: u32,
    pub data: RData,
}

/// Builds a reply: the header, the questions again, then the answer, authority and additional
/// records, compressing names. `None` when a question cannot be written. A reply longer than
/// `limit` bytes (512 for UDP, as in libevent), or one where a record cannot be written, is cut
/// to `limit` bytes with the TC bit set, the header's counts unchanged (libevent's behaviour;
/// where libevent sends whatever its buffer held past the last record written, this sends
/// zeros).
pub fn build_reply(
    id: u16,
    flags: u16,
    questions: &[Question],
    sections: [&[Record]; 3],
    limit: usize,
) -> Option<Vec<u8>> {
    let mut w = Writer::new(limit.max(MAX_PACKET), true);
    let count = |n: usize| n as u16;
    w.header(&Header {
        id,
        flags,
        qdcount: count(questions.len()),
        ancount: count(sections[0].len()),
        nscount: count(sections[1].len()),
        arcount: count(sections[2].len()),
    })
    .ok()?;
    for q in questions {
        w.name(&q.name).ok()?;
        w.u16(q.qtype).ok()?;
        w.u16(q.class).ok()?;
    }
    let mut complete = true;
    'records: for section in sections {
        for rec in section {
            if write_record(&mut w, rec).is_err() {
                complete = false;
                break 'records;
            }
        }
    }
    let mut buf = w.buf;
    if !complete || buf.len() > limit {
        buf.resize(limit, 0);
        buf[2] |= (FLAG_TC >> 8) as u8;
    }
    Some(buf)
}

fn write_record(w: &mut Writer, rec: &Record) -> Result<(), EncodeError> {
    w.name(&rec.name)?;
    w.u16(rec.rtype)?;
    w.u16(rec.class)?;
    w.u32(rec.ttl)?;
    match &rec.data {
        RData::Name(target) => {
            let len_at = w.buf.len();
            w.u16(0)?;
            w.name(target)?;
            let len = (w.buf.len() - len_at - 2) as u16;
            w.buf[len_at..len_at + 2].copy_from_slice(&len.to_be_bytes());
        }
        RData::Bytes(data) => {
            let len = u16::try_from(data.len()).map_err(|_| EncodeError::Overflow)?;
            w.u16(len)?;
            w.bytes(data)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(name: &str, qtype: u16) -> Question {
        Question { name: name.as_bytes().to_vec(), qtype, class: CLASS_INET }
    }

    #[test]
    fn query_layout() {
        let p = build_query(0x1234, b"www.Example.com", TYPE_A).unwrap();
        assert_eq!(p, b"\x12\x34\x01\x00\x00\x01\x00\x00\x00\x00\x00\x00\x03www\x07Example\x03com\x00\x00\x01\x00\x01");
        let p = build_query(1, b"a.", TYPE_AAAA).unwrap();
        assert_eq!(&p[12..], b"\x01a\x00\x00\x1c\x00\x01");
        let p = build_query(1, b"", TYPE_A).unwrap();
        assert_eq!(&p[12..], b"\x00\x00\x01\x00\x01");
        assert_eq!(build_query(1, "a".repeat(64).as_bytes(), TYPE_A), Err(EncodeError::BadLabel));
        let long = vec!["abcdefgh"; 29].join(".");
        assert!(long.len() > 255);
        assert_eq!(build_query(1, long.as_bytes(), TYPE_A), Err(EncodeError::Overflow));
        let mut p = build_query(1, b"x", TYPE_A).unwrap();
        set_id(&mut p, 0xbeef);
        assert_eq!(&p[..2], b"\xbe\xef");
    }

    #[test]
    fn reverse_names() {
        assert_eq!(reverse_name_v4([10, 1, 2, 3]), b"3.2.1.10.in-addr.arpa");
        let mut a = [0u8; 16];
        a[0] = 0x20;
        a[1] = 0x01;
        a[15] = 0xab;
        assert_eq!(reverse_name_v6(a), b"b.a.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.1.0.0.2.ip6.arpa");
    }

    #[test]
    fn names_with_pointers_and_loops() {
        // "b.a" at 12, then "c" + pointer to 12 at 17.
        let mut p = vec![0u8; 12];
        p.extend_from_slice(b"\x01b\x01a\x00\x01c\xc0\x0c\xff");
        let mut r = Reader::at(&p, 12);
        assert_eq!(r.name().unwrap(), b"b.a");
        assert_eq!(r.pos(), 17);
        let mut r = Reader::at(&p, 17);
        assert_eq!(r.name().unwrap(), b"c.b.a");
        assert_eq!(r.pos(), 21);
        // A pointer to itself, a pointer out of the packet, a label past the end.
        let mut p = vec![0u8; 12];
        p.extend_from_slice(b"\xc0\x0c");
        assert!(Reader::at(&p, 12).name().is_none());
        let mut p = vec![0u8; 12];
        p.extend_from_slice(b"\xc0\xff");
        assert!(Reader::at(&p, 12).name().is_none());
        let mut p = vec![0u8; 12];
        p.extend_from_slice(b"\x05ab");
        assert!(Reader::at(&p, 12).name().is_none());
        // 0x40 and 0x80 label bytes read as pointers, as libevent reads them.
        let mut p = vec![0u8; 12];
        p.extend_from_slice(b"\x40\x0e\x01z\x00");
        assert_eq!(Reader::at(&p, 12).name().unwrap(), b"z");
        // 255 characters are fine, 256 are not.
        let mut ok = vec![0u8; 12];
        for _ in 0..4 {
            ok.push(63);
            ok.extend_from_slice(&[b'x'; 63]);
        }
        ok.extend_from_slice(b"\x00");
        assert_eq!(Reader::at(&ok, 12).name().unwrap().len(), 255);
        let mut bad = vec![0u8; 12];
        for _ in 0..4 {
            bad.push(63);
            bad.extend_from_slice(&[b'x'; 63]);
        }
        bad.extend_from_slice(b"\x01y\x00");
        assert!(Reader::at(&bad, 12).name().is_none());
    }

    #[test]
    fn compression_like_libevent() {
        let mut w = Writer::new(MAX_PACKET, true);
        w.bytes(&[0; 12]).unwrap();
        w.name(b"www.example.com").unwrap();
        w.name(b"www.example.com").unwrap();
        w.name(b"alias.example.com").unwrap();
        w.name(b"WWW.example.com").unwrap();
        assert_eq!(&w.buf[12..], b"\x03www\x07example\x03com\x00\xc0\x0c\x05alias\xc0\x10\x03WWW\xc0\x10");
        // A trailing dot leaves the empty remainder in the table: a later trailing dot points to it.
        let mut w = Writer::new(MAX_PACKET, true);
        w.bytes(&[0; 12]).unwrap();
        w.name(b"a.b.").unwrap();
        w.name(b"c.").unwrap();
        assert_eq!(&w.buf[12..], b"\x01a\x01b\x00\x01c\xc0\x10");
    }

    #[test]
    fn reply_size_limits() {
        let rec =
            |n: usize| Record { name: b"big".to_vec(), rtype: 16, class: 1, ttl: 5, data: RData::Bytes(vec![b'z'; n]) };
        let small = build_reply(7, 0x8100, &[q("big", 16)], [&[rec(10)], &[], &[]], MAX_UDP_REPLY).unwrap();
        assert_eq!(small.len(), 12 + 9 + 2 + 10 + 10);
        assert_eq!(small[2] & 0x02, 0);
        let recs: Vec<_> = (0..10).map(|_| rec(200)).collect();
        let big = build_reply(7, 0x8100, &[q("big", 16)], [&recs, &[], &[]], MAX_UDP_REPLY).unwrap();
        assert_eq!(big.len(), 512);
        assert_eq!(&big[..8], b"\x00\x07\x83\x00\x00\x01\x00\x0a");
        let bad =
            Record { name: b"x".to_vec(), rtype: 5, class: 1, ttl: 1, data: RData::Name("a".repeat(70).into_bytes()) };
        let cut = build_reply(7, 0x8100, &[q("x", 5)], [&[bad], &[], &[]], MAX_UDP_REPLY).unwrap();
        assert_eq!(cut.len(), 512);
        assert!(cut[30..].iter().all(|&b| b == 0));
        // Over TCP the same records fit whole.
        let whole = build_reply(7, 0x8100, &[q("big", 16)], [&recs, &[], &[]], MAX_TCP_MESSAGE).unwrap();
        assert_eq!(whole.len(), 12 + 9 + 10 * (2 + 10 + 200));
        assert_eq!(whole[2] & 0x02, 0);
    }

    #[test]
    fn edns_and_cname_chains() {
        let mut query = build_query(9, b"a.example", TYPE_A).unwrap();
        add_opt(&mut query, 4096);
        let q = parse_query(&query).unwrap();
        assert_eq!(q.udp_size, Some(4096));
        assert_eq!(parse_query(&build_query(9, b"a", TYPE_A).unwrap()).unwrap().udp_size, None);
        // a.example -> b.example -> c.example, then c's address; read in any order.
        let rec = |owner: &[u8], target: &[u8]| {
            let mut w = Writer::new(512, false);
            w.name(owner).unwrap();
            w.u16(TYPE_CNAME).unwrap();
            w.u16(CLASS_INET).unwrap();
            w.u32(60).unwrap();
            let mut t = Writer::new(512, false);
            t.name(target).unwrap();
            w.u16(t.buf.len() as u16).unwrap();
            w.bytes(&t.buf).unwrap();
            w.buf
        };
        let mut answers = rec(b"b.example", b"c.example");
        answers.extend(rec(b"a.example", b"b.example"));
        answers.extend_from_slice(b"\x01c\x07example\x00\x00\x01\x00\x01\x00\x00\x00\x10\x00\x04\x01\x02\x03\x04");
        let plain = build_query(9, b"a.example", TYPE_A).unwrap();
        let pkt = reply_to(&plain, 0x8180, &answers, 3, &[], 0);
        let h = Reader::new(&pkt).header().unwrap();
        let out = parse_reply(
            &pkt,
            &h,
            &Sent { query: &plain, qtype: TYPE_A, exact_case: false, want_cname: true, canon: true, lenient: false },
        );
        assert_eq!(out.canon.as_deref(), Some(&b"c.example"[..]));
        assert_eq!(out.cname.as_deref(), Some(&b"c.example"[..]));
        assert_eq!(out.reply.unwrap().answer, Some(Answer::A(vec![[1, 2, 3, 4]])));
        // Cut short with TC: refused, unless taken as it is.
        let mut cut = pkt.clone();
        cut[2] |= 0x02;
        cut.truncate(cut.len() - 3);
        let h = Reader::new(&cut).header().unwrap();
        let strict =
            Sent { query: &plain, qtype: TYPE_A, exact_case: false, want_cname: false, canon: true, lenient: false };
        assert!(parse_reply(&cut, &h, &strict).reply.is_none());
        let lenient = Sent { lenient: true, ..strict };
        let out = parse_reply(&cut, &h, &lenient);
        assert_eq!(out.reply.unwrap().answer, None);
        assert_eq!(out.canon.as_deref(), Some(&b"c.example"[..]));
    }

    fn reply_to(query: &[u8], flags: u16, answers: &[u8], ancount: u16, extra: &[u8], nscount: u16) -> Vec<u8> {
        let mut p = query.to_vec();
        p[2..4].copy_from_slice(&flags.to_be_bytes());
        p[6..8].copy_from_slice(&ancount.to_be_bytes());
        p[8..10].copy_from_slice(&nscount.to_be_bytes());
        p.extend_from_slice(answers);
        p.extend_from_slice(extra);
        p
    }

    fn parse(pkt: &[u8], query: &[u8], qtype: u16, want_cname: bool) -> ParsedReply {
        let h = Reader::new(pkt).header().unwrap();
        parse_reply(pkt, &h, &Sent { query, qtype, exact_case: false, want_cname, canon: false, lenient: false })
    }

    #[test]
    fn replies() {
        let query = build_query(9, b"Host.example.com", TYPE_A).unwrap();
        let a = b"\xc0\x0c\x00\x01\x00\x01\x00\x00\x00\x3c\x00\x04\x07\x07\x07\x07";
        let p = reply_to(&query, 0x8180, a, 1, b"", 0);
        let r = parse(&p, &query, TYPE_A, false).reply.unwrap();
        assert_eq!(r, Reply { answer: Some(Answer::A(vec![[7, 7, 7, 7]])), ttl: 60 });
        // The question matches whatever the case.
        let mut p2 = p.clone();
        p2[13] = b'h';
        assert!(parse(&p2, &query, TYPE_A, false).reply.is_some());
        let h = Reader::new(&p2).header().unwrap();
        assert!(parse_reply(
            &p2,
            &h,
            &Sent { query: &query, qtype: TYPE_A, exact_case: true, want_cname: false, canon: false, lenient: false }
        )
        .reply
        .is_none());
        // Another name does not match.
        p2[14] = b'X';
        assert!(parse(&p2, &query, TYPE_A, false).reply.is_none());
        // Bad length, missing records, an error code.
        let mut bad = a.to_vec();
        bad[11] = 5;
        bad.push(1);
        assert!(parse(&reply_to(&query, 0x8180, &bad, 1, b"", 0), &query, TYPE_A, false).reply.is_none());
        assert!(parse(&reply_to(&query, 0x8180, a, 3, b"", 0), &query, TYPE_A, false).reply.is_none());
        assert!(parse(&reply_to(&query, 0x8182, a, 1, b"", 0), &query, TYPE_A, false).reply.is_none());
        // NXDOMAIN with an SOA: the smaller of its TTL and its minimum.
        let soa = b"\xc0\x0c\x00\x06\x00\x01\x00\x00\x00\x2a\x00\x00\x02ns\x00\x01h\x00\x00\x00\x00\x01\x00\x00\x00\x02\x00\x00\x00\x03\x00\x00\x00\x04\x00\x00\x00\x1e";
        let r = parse(&reply_to(&query, 0x8183, b"", 0, soa, 1), &query, TYPE_A, false).reply.unwrap();
        assert_eq!(r, Reply { answer: None, ttl: 30 });
        // Forty addresses: thirty-two kept.
        let mut many = Vec::new();
        many.extend_from_slice(b"\xc0\x0c\x00\x01\x00\x01\x00\x00\x00\x64\x00\xa0");
        many.extend((0..160).map(|i| i as u8));
        let r = parse(&reply_to(&query, 0x8180, &many, 1, b"", 0), &query, TYPE_A, false).reply.unwrap();
        match r.answer {
            Some(Answer::A(l)) => assert_eq!(l.len(), 32),
            other => panic!("{other:?}"),
        }
        // A CNAME then the A: the target is kept when asked for.
        let mut chain = b"\xc0\x0c\x00\x05\x00\x01\x00\x00\x00\x09\x00\x02\xc0\x0c".to_vec();
        chain.extend_from_slice(a);
        let pr = parse(&reply_to(&query, 0x8180, &chain, 2, b"", 0), &query, TYPE_A, true);
        assert_eq!(pr.cname.unwrap(), b"Host.example.com");
        assert_eq!(pr.reply.unwrap().ttl, 60);
        // PTR.
        let pq = build_query(3, b"4.3.2.1.in-addr.arpa", TYPE_PTR).unwrap();
        let ptr = b"\xc0\x0c\x00\x0c\x00\x01\x00\x00\x00\x05\x00\x06\x01h\x01x\x00";
        let r = parse(&reply_to(&pq, 0x8180, ptr, 1, b"", 0), &pq, TYPE_PTR, false).reply.unwrap();
        assert_eq!(r.answer, Some(Answer::Ptr(b"h.x".to_vec())));
    }

    #[test]
    fn server_queries() {
        let p = b"\x12\x34\x79\x30\x00\x02\x00\x00\x00\x00\x00\x00\x01a\x00\x00\x01\x00\x01\xc0\x0c\x00\x1c\x00\x01";
        let q = parse_query(p).unwrap();
        assert_eq!(q.id, 0x1234);
        assert_eq!(q.flags, 0x0110);
        assert_eq!(
            q.questions,
            vec![
                Question { name: b"a".to_vec(), qtype: 1, class: 1 },
                Question { name: b"a".to_vec(), qtype: 28, class: 1 }
            ]
        );
        assert!(parse_query(b"\x12\x34\x81\x00\x00\x01\x00\x00\x00\x00\x00\x00\x01a\x00\x00\x01\x00\x01").is_none());
        assert!(parse_query(b"\x12\x34\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00").is_none());
        assert!(parse_query(b"\x12\x34\x01\x00\x00\x01\x00\x00\x00\x00\x00\x00\x00\x00\x05").is_none());
        let nul = parse_query(b"\x12\x34\x01\x00\x00\x01\x00\x00\x00\x00\x00\x00\x03a.b\x02\x00c\x00\x00\x05\x00\x01")
            .unwrap();
        assert_eq!(nul.questions[0].name, b"a.b.");
    }

    use crate::test_rng::Rng;

    fn decode_everything(pkt: &[u8], query: &[u8]) {
        let _ = parse_query(pkt);
        if let Some(h) = Reader::new(pkt).header() {
            for qtype in [TYPE_A, TYPE_AAAA, TYPE_PTR] {
                for exact_case in [false, true] {
                    let pr = parse_reply(
                        pkt,
                        &h,
                        &Sent { query, qtype, exact_case, want_cname: true, canon: exact_case, lenient: !exact_case },
                    );
                    if let Some(Reply { answer: Some(Answer::A(l)), .. }) = &pr.reply {
                        assert!(l.len() <= MAX_ADDRS);
                    }
                    if let Some(n) = &pr.cname {
                        assert!(n.len() <= MAX_NAME);
                    }
                }
            }
        }
        for start in 0..pkt.len().min(40) {
            if let Some(n) = Reader::at(pkt, start).name() {
                assert!(n.len() <= MAX_NAME);
            }
        }
    }

    #[test]
    fn random_and_mutated_packets_never_panic() {
        let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
        let query = build_query(0x4242, b"host.example.com", TYPE_A).unwrap();
        let a = b"\xc0\x0c\x00\x01\x00\x01\x00\x00\x00\x3c\x00\x04\x07\x07\x07\x07";
        let soa = b"\xc0\x0c\x00\x06\x00\x01\x00\x00\x00\x2a\x00\x16\x02ns\x00\x01h\x00\x00\x00\x00\x01\x00\x00\x00\x02\x00\x00\x00\x03\x00\x00\x00\x04\x00\x00\x00\x1e";
        let seeds = [reply_to(&query, 0x8180, a, 1, b"", 0), reply_to(&query, 0x8183, b"", 0, soa, 1), query.clone()];
        for round in 0..60_000 {
            let pkt: Vec<u8> = if round % 3 == 0 {
                // Pure noise, sometimes with a plausible header.
                let n = rng.below(120);
                let mut p: Vec<u8> = (0..n).map(|_| rng.next() as u8).collect();
                if n >= 12 && rng.below(2) == 0 {
                    p[..2].copy_from_slice(&query[..2]);
                    p[4] = 0;
                    p[5] = rng.below(3) as u8;
                }
                p
            } else {
                // A valid packet with a few bytes flipped, cut or extended.
                let mut p = seeds[rng.below(seeds.len())].clone();
                for _ in 0..1 + rng.below(4) {
                    let i = rng.below(p.len());
                    p[i] = match rng.below(4) {
                        0 => rng.next() as u8,
                        1 => 0xc0,
                        2 => p[i] ^ 0xff,
                        _ => 0,
                    };
                }
                match rng.below(4) {
                    0 => p.truncate(rng.below(p.len() + 1)),
                    1 => p.extend((0..rng.below(30)).map(|_| rng.next() as u8)),
                    _ => {}
                }
                p
            };
            decode_everything(&pkt, &query);
        }
    }

    #[test]
    fn writer_round_trips_through_reader() {
        let mut rng = Rng(12345);
        for _ in 0..5_000 {
            let labels = 1 + rng.below(6);
            let name: Vec<String> = (0..labels)
                .map(|_| (0..1 + rng.below(12)).map(|_| (b'a' + rng.below(26) as u8) as char).collect())
                .collect();
            let name = name.join(".");
            let mut w = Writer::new(MAX_PACKET, true);
            w.bytes(&[0; 12]).unwrap();
            w.name(b"example.com").unwrap();
            let at = w.buf.len();
            w.name(name.as_bytes()).unwrap();
            assert_eq!(Reader::at(&w.buf, at).name().unwrap(), name.as_bytes());
        }
    }
}
