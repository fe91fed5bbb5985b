//! Header fields as every carrier has them: name/value pairs in order, names as written.
//! One type for MIME entities, HTTP messages, STOMP frames, PEM blocks and the report's
//! layers, so there is one way to look a field up.

use serde::{Deserialize, Serialize};

/// Header fields in the order they were written.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Headers(pub Vec<(String, String)>);

impl Headers {
    /// No fields.
    pub fn new() -> Self {
        Headers(Vec::new())
    }

    /// The first value of a field, names compared case-insensitively (MIME, HTTP, PEM and
    /// the report's layers).
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The first value of a field, names compared exactly (STOMP 1.2 says header names are
    /// case-sensitive).
    pub fn get_exact(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// Every value of a field, in order (case-insensitive names).
    pub fn get_all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.0
            .iter()
            .filter(move |(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// Appends a field.
    pub fn push(&mut self, name: impl Into<String>, value: impl Into<String>) {
        self.0.push((name.into(), value.into()));
    }
}

impl std::ops::Deref for Headers {
    type Target = Vec<(String, String)>;
    fn deref(&self) -> &Self::Target {
        &self.0
    }
}

impl std::ops::DerefMut for Headers {
    fn deref_mut(&mut self) -> &mut Self::Target {
        &mut self.0
    }
}

impl From<Vec<(String, String)>> for Headers {
    fn from(v: Vec<(String, String)>) -> Self {
        Headers(v)
    }
}

impl<'a> IntoIterator for &'a Headers {
    type Item = &'a (String, String);
    type IntoIter = std::slice::Iter<'a, (String, String)>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

impl IntoIterator for Headers {
    type Item = (String, String);
    type IntoIter = std::vec::IntoIter<(String, String)>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h() -> Headers {
        vec![
            ("Content-Type".to_string(), "text/plain".to_string()),
            ("received".to_string(), "a".to_string()),
            ("Received".to_string(), "b".to_string()),
        ]
        .into()
    }

    #[test]
    fn lookups_by_name() {
        let h = h();
        assert_eq!(h.get("content-type"), Some("text/plain"));
        assert_eq!(h.get_exact("content-type"), None);
        assert_eq!(h.get_exact("Content-Type"), Some("text/plain"));
        assert_eq!(h.get("RECEIVED"), Some("a"));
        assert_eq!(h.get_all("received").collect::<Vec<_>>(), ["a", "b"]);
        assert_eq!(h.get("missing"), None);
    }

    #[test]
    fn serialises_as_pairs() {
        let json = serde_json::to_string(&h()).unwrap();
        assert!(
            json.starts_with("[[\"Content-Type\",\"text/plain\"]"),
            "{json}"
        );
        assert_eq!(serde_json::from_str::<Headers>(&json).unwrap(), h());
    }
}
