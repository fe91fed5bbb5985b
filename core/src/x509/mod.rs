//! X.509 (RFC 5280): certificates, distinguished names, revocation lists and path
//! validation.

pub mod certificate;
pub mod chain;
pub mod crl;
pub mod dn;
pub mod name_constraints;
pub mod namespaces;
pub mod policies;
pub mod profile;
