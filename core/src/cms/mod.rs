//! Cryptographic Message Syntax (RFC 5652) and PKCS #7 (RFC 2315): the BER reader and one
//! module per content type.

pub mod asn1;
pub mod authenticated_data;
pub mod compressed_data;
pub mod digested_data;
pub mod encrypted_data;
pub mod enveloped_data;
pub mod signed_data;
