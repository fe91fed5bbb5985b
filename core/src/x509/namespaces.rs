//! Grid CA namespaces: which subject names a CA of an IGTF trust directory may sign.
//!
//! An IGTF CA directory (/etc/grid-security/certificates) holds, beside `<hash>.0`, the
//! files `<hash>.namespaces` (EUGridPMA namespaces 1.0) and `<hash>.signing_policy`
//! (Globus signing policy), where `<hash>` is the OpenSSL subject hash of the CA. This
//! module reads both and checks a path as grid middleware does (EMI caNl's
//! `EUGRIDPMA_GLOBUS` mode, the default of its OpenSSL-directory validator):
//!
//! - for a certificate, the rules are looked up in the files of its issuer, then of the CAs
//!   above it; the first file with rules for that issuer decides, the EUGridPMA file before
//!   the Globus one;
//! - a matching DENY rule rejects the subject; without a matching PERMIT rule it is rejected
//!   too; a certificate whose issuer has no rules anywhere is not constrained;
//! - names are compared in OpenSSL's one-line form, labels normalised and lower-cased;
//!   EUGridPMA subjects are regular expressions, Globus ones `*`/`?` wildcards, both
//!   matched whole and case-insensitively.

use crate::error::Error;
use crate::x509::dn;
use regex::bytes::{Regex, RegexBuilder};
use x509_cert::name::Name;

/// Which of the two formats a policy file is in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PolicyFormat {
    /// `<hash>.namespaces`, EUGridPMA namespaces 1.0.
    EuGridPma,
    /// `<hash>.signing_policy`, Globus signing policy (EACL).
    Globus,
}

impl PolicyFormat {
    /// The file-name extension of the format.
    pub fn extension(self) -> &'static str {
        match self {
            PolicyFormat::EuGridPma => "namespaces",
            PolicyFormat::Globus => "signing_policy",
        }
    }
}

/// Whom a rule is for.
#[derive(Clone, Debug, PartialEq, Eq)]
enum IssuerKey {
    /// The CA whose file it is (`SELF`, or its own name), by OpenSSL hash.
    Hash(u32),
    /// Another issuer, by normalised one-line name.
    Name(String),
}

/// One PERMIT or DENY rule.
#[derive(Clone, Debug)]
pub struct NamespaceRule {
    issuer: IssuerKey,
    pattern: Regex,
    /// The subject pattern as the file gives it.
    pub subject: String,
    /// PERMIT (true) or DENY.
    pub permit: bool,
    /// `file:entry` (EUGridPMA) or `file` (Globus), for messages.
    pub at: String,
}

/// The rules of one policy file.
#[derive(Clone, Debug)]
pub struct NamespaceFile {
    /// The OpenSSL subject hash of the CA the file belongs to (its name's stem).
    pub hash: u32,
    /// The format.
    pub format: PolicyFormat,
    /// The rules, in file order.
    pub rules: Vec<NamespaceRule>,
    /// Where it came from.
    pub source: String,
}

/// Whether `file_name` (its last path component) is a policy file
/// (`<8 hex digits>.namespaces` or `<8 hex digits>.signing_policy`), and which.
pub fn policy_file_kind(file_name: &str) -> Option<(u32, PolicyFormat)> {
    // A path may come with it (a browser's file name does not): only the last part counts.
    let base = file_name.rsplit(['/', '\\']).next().unwrap_or(file_name);
    let (stem, ext) = base.rsplit_once('.')?;
    let format = match ext {
        "namespaces" => PolicyFormat::EuGridPma,
        "signing_policy" => PolicyFormat::Globus,
        _ => return None,
    };
    if stem.len() != 8 || !stem.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    Some((u32::from_str_radix(stem, 16).ok()?, format))
}

/// A one-line name as namespace rules compare it: the labels grid tools spell in several
/// ways mapped to one, then lower-cased.
pub fn normalize(oneline: &str) -> String {
    let mut out = String::with_capacity(oneline.len());
    let mut rest = oneline;
    // Every `/LABEL=`: the label runs from a `/` to the next `=`.
    while let Some(slash) = rest.find('/') {
        let after = &rest[slash + 1..];
        let Some(eq) = after.find('=') else {
            break;
        };
        if eq == 0 {
            // `/=` has no label: keep it and look on.
            out.push_str(&rest[..slash + 2]);
            rest = &after[1..];
            continue;
        }
        out.push_str(&rest[..slash]);
        out.push('/');
        out.push_str(normalize_label(&after[..eq]));
        out.push('=');
        rest = &after[eq + 1..];
    }
    out.push_str(rest);
    out.to_lowercase()
}

fn normalize_label(label: &str) -> &str {
    match label.to_lowercase().as_str() {
        "e" | "email" => "emailAddress",
        "userid" => "UID",
        "sn" => "serialnumber",
        "surname" => "sn",
        "givenname" => "gn",
        "dn" | "dnq" => "dnQualifier",
        "uniqueidentifier" => "x500UniqueIdentifier",
        "generation" => "generationQualifier",
        "s" => "ST",
        "ip" => "1.3.6.1.4.1.42.2.11.2.1",
        "nameatbirth" => "1.3.36.8.3.14",
        _ => label,
    }
}

/// The subject of a certificate as rules match it.
fn subject_text(name: &Name) -> String {
    normalize(&dn::grid_oneline(name))
}

fn compile(pattern: &str, at: &str, source: &str) -> Result<Regex, Error> {
    RegexBuilder::new(&format!("^(?:{pattern})$"))
        .case_insensitive(true)
        .unicode(false)
        .build()
        .map_err(|e| {
            load_error(
                source,
                format!(
                    "{at}: the subject pattern {pattern:?} is not a valid regular expression: {e}"
                ),
            )
        })
}

fn load_error(source: &str, reason: String) -> Error {
    Error::Load {
        what: "CA namespace policy",
        source_name: source.to_string(),
        reason,
    }
}

/// A Globus wildcard (`*` any run, `?` one character) as a regular expression.
fn wildcard_regex(pattern: &str) -> String {
    let mut out = String::new();
    for c in pattern.chars() {
        match c {
            '*' => out.push_str(".*"),
            '?' => out.push('.'),
            c => out.push_str(&regex::escape(c.encode_utf8(&mut [0u8; 4]))),
        }
    }
    out
}

impl NamespaceFile {
    /// Reads a policy file; `file_name` (without directory) gives the CA hash and the format.
    pub fn parse(bytes: &[u8], file_name: &str, source: &str) -> Result<Self, Error> {
        let (hash, format) = policy_file_kind(file_name).ok_or_else(|| {
            load_error(
                source,
                "a CA policy file is named by the CA's 8-digit subject hash and .namespaces or .signing_policy".into(),
            )
        })?;
        let text = std::str::from_utf8(bytes)
            .map_err(|e| load_error(source, format!("the file is not UTF-8 text: {e}")))?;
        let rules = match format {
            PolicyFormat::EuGridPma => parse_eugridpma(text, hash, source)?,
            PolicyFormat::Globus => parse_globus(text, source)?,
        };
        Ok(NamespaceFile {
            hash,
            format,
            rules,
            source: source.to_string(),
        })
    }
}

/// Removes a `#` comment (a `#` not escaped by a backslash, even inside quotes, as grid
/// middleware reads it).
fn strip_comment(line: &str) -> &str {
    let b = line.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'\\' && i + 1 < b.len() {
            i += 2;
            continue;
        }
        if b[i] == b'#' {
            return &line[..i];
        }
        i += 1;
    }
    line
}

/// A case-insensitive keyword at the start of `s`; returns the rest.
fn keyword<'a>(s: &'a str, word: &str) -> Option<&'a str> {
    let head = s.get(..word.len())?;
    head.eq_ignore_ascii_case(word).then(|| &s[word.len()..])
}

/// At least one space (EUGridPMA separates by spaces only).
fn spaces(s: &str) -> Option<&str> {
    let t = s.trim_start_matches(' ');
    (t.len() < s.len()).then_some(t)
}

/// A double-quoted string whose `\"` does not end it; returns (content as written, rest).
fn quoted(s: &str) -> Option<(&str, &str)> {
    let body = s.strip_prefix('"')?;
    let b = body.as_bytes();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'\\' if i + 1 < b.len() => i += 2,
            b'"' => return Some((&body[..i], &body[i + 1..])),
            _ => i += 1,
        }
    }
    None
}

fn parse_eugridpma(text: &str, hash: u32, source: &str) -> Result<Vec<NamespaceRule>, Error> {
    const VERSION: &str = "#NAMESPACES-VERSION: ";
    let mut rules = Vec::new();
    let mut entry = String::new();
    let mut number = 1;
    for (line_no, raw) in text.lines().enumerate() {
        let raw = raw.strip_suffix('\r').unwrap_or(raw);
        if let Some(v) = raw.strip_prefix(VERSION) {
            if v != "1.0" {
                return Err(load_error(
                    source,
                    format!(
                        "line {}: namespaces version {v:?} is not supported (1.0 is)",
                        line_no + 1
                    ),
                ));
            }
            continue;
        }
        let line = strip_comment(raw);
        if line.ends_with('\\') && !line.ends_with("\\\\") {
            entry.push_str(&line[..line.len() - 1]);
            continue;
        }
        entry.push_str(line);
        let whole = std::mem::take(&mut entry);
        let whole = whole.trim();
        if whole.is_empty() {
            continue;
        }
        let at = format!("{source}:{number}");
        let syntax = |what: &str| {
            load_error(
                source,
                format!(
                    "entry {number} (ending on line {}): {what}: {whole}",
                    line_no + 1
                ),
            )
        };
        let rest = keyword(whole, "to")
            .and_then(spaces)
            .and_then(|r| keyword(r, "issuer"))
            .and_then(spaces)
            .ok_or_else(|| syntax("expected TO Issuer"))?;
        let (issuer, rest) = if rest.starts_with('"') {
            let (dn_text, rest) = quoted(rest).ok_or_else(|| syntax("unterminated issuer name"))?;
            let key = if dn::openssl_hash_of_oneline(dn_text) == Some(hash) {
                IssuerKey::Hash(hash)
            } else {
                IssuerKey::Name(normalize(dn_text))
            };
            (key, rest)
        } else {
            let rest = keyword(rest, "self")
                .ok_or_else(|| syntax("expected a quoted issuer name or SELF"))?;
            (IssuerKey::Hash(hash), rest)
        };
        let rest = spaces(rest).ok_or_else(|| syntax("expected a space before PERMIT or DENY"))?;
        let (permit, rest) = match keyword(rest, "permit") {
            Some(r) => (true, r),
            None => (
                false,
                keyword(rest, "deny").ok_or_else(|| syntax("expected PERMIT or DENY"))?,
            ),
        };
        let rest = spaces(rest)
            .and_then(|r| keyword(r, "subject"))
            .and_then(spaces)
            .ok_or_else(|| syntax("expected Subject"))?;
        let (subject, rest) =
            quoted(rest).ok_or_else(|| syntax("expected a quoted subject pattern"))?;
        if !rest.is_empty() {
            return Err(syntax("unexpected text after the subject pattern"));
        }
        let pattern = compile(&normalize(subject), &at, source)?;
        rules.push(NamespaceRule {
            issuer,
            pattern,
            subject: subject.to_string(),
            permit,
            at,
        });
        number += 1;
    }
    if !entry.trim().is_empty() {
        return Err(load_error(
            source,
            "the last entry ends with a line continuation".into(),
        ));
    }
    Ok(rules)
}

/// Spaces and tabs, at least one.
fn blanks(s: &str) -> Option<&str> {
    let t = s.trim_start_matches([' ', '\t']);
    (t.len() < s.len()).then_some(t)
}

/// A value quoted with `q` (backslash escapes the next character) or the rest of the line.
fn globus_value(s: &str, q: char) -> Option<(String, &str)> {
    let Some(body) = s.strip_prefix(q) else {
        return Some((s.to_string(), ""));
    };
    let mut out = String::new();
    let mut chars = body.char_indices();
    while let Some((i, c)) = chars.next() {
        if c == '\\' {
            let (_, next) = chars.next()?;
            out.push(next);
        } else if c == q {
            return Some((out, &body[i + c.len_utf8()..]));
        } else {
            out.push(c);
        }
    }
    None
}

fn parse_globus(text: &str, source: &str) -> Result<Vec<NamespaceRule>, Error> {
    let mut rules = Vec::new();
    let mut lines = text
        .lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l.trim()))
        .filter(|(_, l)| !l.is_empty() && !l.starts_with('#'));
    let err =
        |n: usize, what: &str, line: &str| load_error(source, format!("line {n}: {what}: {line}"));
    while let Some((n, line)) = lines.next() {
        let Some(rest) = line.strip_prefix("access_id_CA") else {
            continue;
        };
        let rest = blanks(rest)
            .and_then(|r| r.strip_prefix("X509"))
            .and_then(blanks)
            .ok_or_else(|| err(n, "expected access_id_CA X509 '<CA name>'", line))?;
        let (issuer, tail) =
            globus_value(rest, '\'').ok_or_else(|| err(n, "unterminated CA name", line))?;
        if !tail.is_empty() {
            return Err(err(n, "unexpected text after the CA name", line));
        }
        let (n, line) = lines
            .next()
            .ok_or_else(|| err(n, "access_id_CA without pos_rights", line))?;
        let ok = line
            .strip_prefix("pos_rights")
            .and_then(blanks)
            .and_then(|r| r.strip_prefix("globus"))
            .and_then(blanks)
            .and_then(|r| r.strip_prefix("CA:sign"));
        if ok != Some("") {
            return Err(err(n, "expected pos_rights globus CA:sign", line));
        }
        let (n, line) = lines
            .next()
            .ok_or_else(|| err(n, "pos_rights without cond_subjects", line))?;
        let rest = line
            .strip_prefix("cond_subjects")
            .and_then(blanks)
            .and_then(|r| r.strip_prefix("globus"))
            .and_then(blanks)
            .ok_or_else(|| err(n, "expected cond_subjects globus '<subjects>'", line))?;
        let (subjects, tail) =
            globus_value(rest, '\'').ok_or_else(|| err(n, "unterminated subject list", line))?;
        if !tail.is_empty() {
            return Err(err(n, "unexpected text after the subject list", line));
        }
        let issuer_key = IssuerKey::Name(normalize(&issuer));
        let mut list = subjects.as_str();
        let mut first = true;
        loop {
            let trimmed = list.trim_start_matches([' ', '\t']);
            let had_space = trimmed.len() < list.len();
            if trimmed.is_empty() {
                break;
            }
            if !first && !had_space {
                return Err(err(n, "subjects must be separated by spaces", line));
            }
            let (subject, rest) =
                globus_value(trimmed, '"').ok_or_else(|| err(n, "unterminated subject", line))?;
            let subject = subject.trim().to_string();
            if subject.is_empty() {
                break;
            }
            let pattern = compile(&wildcard_regex(&normalize(&subject)), source, source)?;
            rules.push(NamespaceRule {
                issuer: issuer_key.clone(),
                pattern,
                subject,
                permit: true,
                at: source.to_string(),
            });
            list = rest;
            first = false;
        }
    }
    Ok(rules)
}

/// Why a certificate's subject is outside its CA's namespace.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Violation {
    /// Position in the path (0 = signer).
    pub index: usize,
    /// The reason, naming the rule or rules.
    pub why: String,
}

/// The rules that apply to a certificate issued by `issuers[0]`, looked up in the files of
/// that issuer and then of the CAs above it (`issuers[1..]` are their issuers' names).
fn rules_for<'a>(
    files: &'a [NamespaceFile],
    format: PolicyFormat,
    issuers: &[&Name],
) -> Option<Vec<&'a NamespaceRule>> {
    let first = issuers.first()?;
    let issuer_hash = dn::openssl_hash(first);
    let issuer_name = normalize(&dn::grid_oneline(first));
    for defined_for in issuers {
        let h = dn::openssl_hash(defined_for);
        let in_file = || {
            files
                .iter()
                .filter(move |f| f.format == format && f.hash == h)
                .flat_map(|f| f.rules.iter())
        };
        let by_hash: Vec<_> = in_file()
            .filter(|r| r.issuer == IssuerKey::Hash(issuer_hash))
            .collect();
        if !by_hash.is_empty() {
            return Some(by_hash);
        }
        let by_name: Vec<_> = in_file()
            .filter(|r| matches!(&r.issuer, IssuerKey::Name(n) if *n == issuer_name))
            .collect();
        if !by_name.is_empty() {
            return Some(by_name);
        }
    }
    None
}

/// Checks every certificate of a path (`path[0]` the signer, each issued by the next) that
/// is not self-issued against the namespace rules of its CAs; returns the violations.
pub fn check(files: &[NamespaceFile], path: &[(&Name, &Name)]) -> Vec<Violation> {
    let mut out = Vec::new();
    if files.is_empty() {
        return out;
    }
    for (index, (subject, issuer)) in path.iter().enumerate() {
        if dn::same_name(subject, issuer) {
            continue;
        }
        let issuers: Vec<&Name> = path[index..].iter().map(|(_, i)| *i).collect();
        let Some(rules) = rules_for(files, PolicyFormat::EuGridPma, &issuers)
            .or_else(|| rules_for(files, PolicyFormat::Globus, &issuers))
        else {
            continue;
        };
        let text = subject_text(subject);
        let mut permitted = false;
        for r in &rules {
            if r.pattern.is_match(text.as_bytes()) {
                if r.permit {
                    permitted = true;
                } else {
                    out.push(Violation {
                        index,
                        why: format!(
                            "{} is denied by {} (DENY Subject {:?})",
                            dn::oneline(subject),
                            r.at,
                            r.subject
                        ),
                    });
                }
            }
        }
        if !permitted {
            let mut names: Vec<&str> = rules.iter().map(|r| r.at.as_str()).collect();
            names.dedup();
            out.push(Violation {
                index,
                why: format!(
                    "{} matches no PERMIT rule of {} for issuer {}",
                    dn::oneline(subject),
                    names.join(", "),
                    dn::oneline(issuers[0])
                ),
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn name(rfc: &str) -> Name {
        Name::from_str(rfc).unwrap()
    }

    const ROOT: &str = "CN=Test Grid CA,O=Grid,C=XX";

    fn root_hash() -> u32 {
        dn::openssl_hash(&name(ROOT))
    }

    #[test]
    fn file_names() {
        assert_eq!(
            policy_file_kind("1a2b3c4d.namespaces"),
            Some((0x1a2b3c4d, PolicyFormat::EuGridPma))
        );
        assert_eq!(
            policy_file_kind("1a2b3c4d.signing_policy"),
            Some((0x1a2b3c4d, PolicyFormat::Globus))
        );
        assert_eq!(policy_file_kind("1a2b3c4d.0"), None);
        assert_eq!(policy_file_kind("grid.namespaces"), None);
        assert_eq!(
            policy_file_kind("/etc/grid-security/certificates/1a2b3c4d.namespaces"),
            Some((0x1a2b3c4d, PolicyFormat::EuGridPma))
        );
        assert_eq!(policy_file_kind("certs.d/x.namespaces"), None);
    }

    #[test]
    fn labels_are_normalised() {
        assert_eq!(
            normalize("/C=XX/O=Grid/Email=a@b/E=c@d/CN=Al"),
            "/c=xx/o=grid/emailaddress=a@b/emailaddress=c@d/cn=al"
        );
        assert_eq!(normalize("/DC=org/USERID=x"), "/dc=org/uid=x");
    }

    #[test]
    fn eugridpma_self_and_deny() {
        let file = format!("{:08x}.namespaces", root_hash());
        let text = "#NAMESPACES-VERSION: 1.0\n# comment\nTO Issuer SELF \\\n  PERMIT Subject \"/C=XX/O=Grid/.*\"\nto issuer \"/C=XX/O=Grid/CN=Test Grid CA\" deny subject \"/C=XX/O=Grid/CN=Bad.*\"\n";
        let f = NamespaceFile::parse(text.as_bytes(), &file, &file).unwrap();
        assert_eq!(f.rules.len(), 2);
        assert_eq!(f.rules[1].issuer, IssuerKey::Hash(root_hash()));
        let files = [f];
        let root = name(ROOT);
        let good = name("CN=Alice,O=Grid,C=XX");
        let other = name("CN=Alice,O=Elsewhere,C=XX");
        let denied = name("CN=Bad Bob,O=Grid,C=XX");
        assert!(check(&files, &[(&good, &root)]).is_empty());
        let v = check(&files, &[(&other, &root)]);
        assert_eq!(v.len(), 1);
        assert!(v[0].why.contains("matches no PERMIT rule"), "{}", v[0].why);
        let v = check(&files, &[(&denied, &root)]);
        assert_eq!(v.len(), 1);
        assert!(v[0].why.contains("is denied by"), "{}", v[0].why);
        // The root itself is self-issued and not checked.
        assert!(check(&files, &[(&root, &root)]).is_empty());
    }

    #[test]
    fn globus_wildcards_and_lookup_above() {
        let file = format!("{:08x}.signing_policy", root_hash());
        let text = "# policy\naccess_id_CA   X509   '/C=XX/O=Grid/CN=Test Grid CA'\npos_rights     globus CA:sign\ncond_subjects  globus  '\"/C=XX/O=Grid/*\"  \"/C=XX/O=Other/CN=?x\"'\n\naccess_id_CA X509 '/C=XX/O=Grid/CN=Sub CA'\npos_rights globus CA:sign\ncond_subjects globus '\"/C=XX/O=Grid/OU=Sub/*\"'\n";
        let f = NamespaceFile::parse(text.as_bytes(), &file, &file).unwrap();
        assert_eq!(f.rules.len(), 3);
        let files = [f];
        let root = name(ROOT);
        let sub = name("CN=Sub CA,O=Grid,C=XX");
        let user = name("CN=U,OU=Sub,O=Grid,C=XX");
        let stray = name("CN=U,OU=Else,O=Grid,C=XX");
        // The sub CA's rules are in the root's file: found by looking above.
        assert!(check(&files, &[(&user, &sub), (&sub, &root)]).is_empty());
        let v = check(&files, &[(&stray, &sub), (&sub, &root)]);
        assert_eq!(v.len(), 1);
        assert_eq!(v[0].index, 0);
        assert!(check(&files, &[(&name("CN=ax,O=Other,C=XX"), &root)]).is_empty());
        assert_eq!(
            check(&files, &[(&name("CN=aax,O=Other,C=XX"), &root)]).len(),
            1
        );
    }

    #[test]
    fn unconstrained_without_rules() {
        let file = "00000000.namespaces";
        let f =
            NamespaceFile::parse(b"TO Issuer SELF PERMIT Subject \"/O=x/.*\"", file, file).unwrap();
        let root = name(ROOT);
        assert!(check(&[f], &[(&name("CN=A,O=Y"), &root)]).is_empty());
    }

    #[test]
    fn malformed_files_are_refused() {
        let file = "00000000.namespaces";
        for bad in [
            "#NAMESPACES-VERSION: 2.0\n",
            "TO Issuer SELF ALLOW Subject \"x\"",
            "TO Issuer SELF PERMIT Subject \"unterminated",
            "TO Issuer SELF PERMIT Subject \"(\"",
            "TO Issuer SELF PERMIT Subject \"x\" extra",
        ] {
            assert!(
                NamespaceFile::parse(bad.as_bytes(), file, file).is_err(),
                "{bad}"
            );
        }
        assert!(NamespaceFile::parse(b"", "ca.namespaces", "ca.namespaces").is_err());
        let g = "00000000.signing_policy";
        assert!(NamespaceFile::parse(
            b"access_id_CA X509 '/C=X'\ncond_subjects globus '\"*\"'\n",
            g,
            g
        )
        .is_err());
    }
}
