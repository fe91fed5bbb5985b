//! What messages travel in: STOMP frames, HTTP messages, ARGO AMS JSON, MIME entities and
//! PEM/base64 armour. Each reader keeps exact byte ranges so every layer can point at the
//! bytes it came from.

pub mod ams;
pub mod headers;
pub mod http;
pub mod mime;
pub mod pem;
pub mod stomp;
