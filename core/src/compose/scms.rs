//! SCMS EE→RA requests as the `scms-…` templates make them: which request, where it goes on
//! the RA, and how the COER bytes are written out (the seed's HTTP carriers included).

use crate::compose::names::{named, Names};
use crate::compose::profile::TemplateError;
use crate::ieee1609::compose::Request;
use crate::time::UnixTime;
use base64::Engine;

/// The SCMS EE→RA requests sealscope composes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScmsKind {
    /// An authenticated download request for a file.
    Download,
    /// The RA-certificate request.
    RaCert,
    /// A pseudonym certificate provisioning request.
    Pseudonym,
    /// An identity certificate provisioning request.
    Id,
}

impl ScmsKind {
    pub(crate) const NAMES: Names<ScmsKind> = Names {
        what: "SCMS request",
        expected: "download, ra-cert, pseudonym or id",
        fold_case: false,
        names: &[
            ("download", ScmsKind::Download),
            ("ra-cert", ScmsKind::RaCert),
            ("pseudonym", ScmsKind::Pseudonym),
            ("id", ScmsKind::Id),
        ],
    };

    /// The canonical name: `download`, `ra-cert`, `pseudonym` or `id`.
    pub fn name(self) -> &'static str {
        match self {
            ScmsKind::Download => "download",
            ScmsKind::RaCert => "ra-cert",
            ScmsKind::Pseudonym => "pseudonym",
            ScmsKind::Id => "id",
        }
    }

    /// The request: a download names `filename` ([`TemplateError::ScmsFilename`] without
    /// one); provisioning requests start at `start`.
    pub fn request(
        self,
        filename: Option<&str>,
        start: UnixTime,
    ) -> Result<Request, TemplateError> {
        Ok(match self {
            ScmsKind::Download => Request::Download {
                filename: filename.ok_or(TemplateError::ScmsFilename)?.to_string(),
            },
            ScmsKind::RaCert => Request::RaCert,
            ScmsKind::Pseudonym => Request::Pseudonym { start },
            ScmsKind::Id => Request::Id { start },
        })
    }

    /// The RA's HTTP path for the request (a download's names its file).
    pub fn default_target(self, filename: Option<&str>) -> String {
        match self {
            ScmsKind::Download => format!("/download/{}", filename.unwrap_or_default()),
            ScmsKind::RaCert => "/ra-certificate".into(),
            ScmsKind::Pseudonym => "/provision-pseudonym-certificate-batch".into(),
            ScmsKind::Id => "/provision-identity-certificate".into(),
        }
    }
}
named!(ScmsKind);

/// How an SCMS request is written out.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum ScmsOutput {
    /// The COER bytes (`der`, also `coer`): the default.
    #[default]
    Coer,
    /// Base64 text and a newline.
    Base64,
    /// Hex text and a newline.
    Hex,
    /// The seed's HTTP carrier: GET with the base64 request in `Download-Req` for downloads,
    /// else POST with the request as body.
    Http,
}

impl ScmsOutput {
    pub(crate) const NAMES: Names<ScmsOutput> = Names {
        what: "SCMS output form",
        expected: "der (COER), base64, hex or http",
        fold_case: false,
        names: &[
            ("der", ScmsOutput::Coer),
            ("coer", ScmsOutput::Coer),
            ("base64", ScmsOutput::Base64),
            ("hex", ScmsOutput::Hex),
            ("http", ScmsOutput::Http),
        ],
    };

    /// The canonical name: `der`, `base64`, `hex` or `http`.
    pub fn name(self) -> &'static str {
        match self {
            ScmsOutput::Coer => "der",
            ScmsOutput::Base64 => "base64",
            ScmsOutput::Hex => "hex",
            ScmsOutput::Http => "http",
        }
    }

    /// Writes `apdu` (the signed `Ieee1609Dot2Data`) of a `kind` request; `target` and
    /// `host` are used by [`ScmsOutput::Http`].
    pub fn write(self, kind: ScmsKind, apdu: &[u8], target: &str, host: &str) -> Vec<u8> {
        let b64 = || base64::engine::general_purpose::STANDARD.encode(apdu);
        match self {
            ScmsOutput::Coer => apdu.to_vec(),
            ScmsOutput::Base64 => format!("{}\n", b64()).into_bytes(),
            ScmsOutput::Hex => format!("{}\n", hex::encode(apdu)).into_bytes(),
            ScmsOutput::Http if kind == ScmsKind::Download => format!(
                "GET {target} HTTP/1.1\r\nHost: {host}\r\nDownload-Req: {}\r\n\r\n",
                b64()
            )
            .into_bytes(),
            ScmsOutput::Http => {
                let mut v = format!(
                    "POST {target} HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/octet-stream\r\nContent-Length: {}\r\n\r\n",
                    apdu.len()
                )
                .into_bytes();
                v.extend_from_slice(apdu);
                v
            }
        }
    }
}
named!(ScmsOutput);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compose::names::tests::check;

    #[test]
    fn names_round_trip() {
        check(
            &ScmsKind::NAMES,
            &["download", "ra-cert", "pseudonym", "id"],
        );
        check(&ScmsOutput::NAMES, &["der", "base64", "hex", "http"]);
        assert_eq!(
            "coer"
                .parse::<ScmsOutput>()
                .map(|o| o.to_string())
                .as_deref(),
            Ok("der")
        );
        let e = "x".parse::<ScmsKind>().unwrap_err();
        assert_eq!(
            e.to_string(),
            "unknown SCMS request \"x\": expected download, ra-cert, pseudonym or id"
        );
    }

    #[test]
    fn requests_and_targets() {
        let t = UnixTime(1_800_000_000);
        assert_eq!(
            ScmsKind::Download.request(None, t).unwrap_err().to_string(),
            "--profile scms-download needs --filename"
        );
        assert_eq!(
            ScmsKind::Download.request(Some("f.zip"), t),
            Ok(Request::Download {
                filename: "f.zip".into()
            })
        );
        assert_eq!(ScmsKind::Id.request(None, t), Ok(Request::Id { start: t }));
        assert_eq!(
            ScmsKind::Download.default_target(Some("f.zip")),
            "/download/f.zip"
        );
        assert_eq!(ScmsKind::RaCert.default_target(None), "/ra-certificate");
    }

    #[test]
    fn outputs() {
        let a = [1u8, 2, 0xff];
        assert_eq!(ScmsOutput::Coer.write(ScmsKind::Id, &a, "/", "h"), a);
        assert_eq!(
            ScmsOutput::Hex.write(ScmsKind::Id, &a, "/", "h"),
            b"0102ff\n"
        );
        assert_eq!(
            ScmsOutput::Base64.write(ScmsKind::Id, &a, "/", "h"),
            b"AQL/\n"
        );
        let get = ScmsOutput::Http.write(ScmsKind::Download, &a, "/download/f", "ra");
        assert_eq!(
            get,
            b"GET /download/f HTTP/1.1\r\nHost: ra\r\nDownload-Req: AQL/\r\n\r\n"
        );
        let post = ScmsOutput::Http.write(ScmsKind::RaCert, &a, "/ra-certificate", "ra");
        assert!(post.starts_with(b"POST /ra-certificate HTTP/1.1\r\nHost: ra\r\n"));
        assert!(post.ends_with(b"Content-Length: 3\r\n\r\n\x01\x02\xff"));
    }
}
