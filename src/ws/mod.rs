//! WebSocket (RFC 6455): libevent 2.2's server sessions (event2/ws.h), taken over from an
//! evhttp request that asks for an Upgrade, and event_rs's client, which connects to a
//! `ws://` or `wss://` URI itself.
//!
//! `proto` is the wire as pure functions (handshake values, frame heads, masking, close codes),
//! `conn` a session over a bufferevent (both roles), `client` the client's connect and
//! handshake. The capi layer (src/capi/ws.rs) only converts and forwards.
pub mod client;
pub mod conn;
pub mod proto;
pub mod server;

pub use conn::WsConn;
