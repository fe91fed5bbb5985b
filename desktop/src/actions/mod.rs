//! What the command line and the window both do, as library calls: read inputs, load the
//! keyring and inspect, compose, send, listen. No child processes, nothing printed, no
//! secret on any command line: the front ends fill the request types and show the results.

pub mod archive;
pub mod compose;
pub mod connection;
pub mod elided_read;
pub mod hashed_read;
pub mod inputs;
pub mod inspect;
pub mod keyring_files;
pub mod listen;
pub mod send;
pub mod streamed_file;
