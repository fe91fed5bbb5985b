//! ARGO Messaging Service (AMS) JSON: what APEL SSM publishes and pulls over HTTPS.
//!
//! Three shapes are read: a publish request body `{"messages": [{"attributes": {…}, "data":
//! "<base64>"}]}`, a pull response `{"receivedMessages": [{"ackId": …, "message": {…,
//! "messageId", "publishTime"}}]}`, and a single message object. `data` is base64 (standard
//! alphabet; the URL-safe one is accepted too).

use crate::error::Error;
use base64::Engine;
use serde_json::Value;

/// Most messages read from one document.
pub const MAX_MESSAGES: usize = 10_000;

/// One AMS message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Message {
    /// `attributes`, in document order, values as text.
    pub attributes: Vec<(String, String)>,
    /// `messageId`, when present.
    pub message_id: Option<String>,
    /// `publishTime`, when present.
    pub publish_time: Option<String>,
    /// `ackId` of a pull response, when present.
    pub ack_id: Option<String>,
    /// The decoded `data`.
    pub data: Vec<u8>,
    /// Byte range of the `data` string within the document (best effort: the first place
    /// the encoded text occurs after the previous message).
    pub data_range: [usize; 2],
}

impl Message {
    /// An attribute's value.
    pub fn attribute(&self, name: &str) -> Option<&str> {
        self.attributes
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// Header-like fields for the report: attributes, then the message fields.
    pub fn fields(&self) -> Vec<(String, String)> {
        let mut v: Vec<(String, String)> = self
            .attributes
            .iter()
            .map(|(k, val)| (format!("attributes.{k}"), val.clone()))
            .collect();
        for (k, val) in [
            ("messageId", &self.message_id),
            ("publishTime", &self.publish_time),
            ("ackId", &self.ack_id),
        ] {
            if let Some(val) = val {
                v.push((k.to_string(), val.clone()));
            }
        }
        v
    }
}

/// Whether `bytes` look like an AMS JSON document (cheap check before parsing).
pub fn looks_like_ams(bytes: &[u8]) -> bool {
    let start = bytes
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(bytes.len());
    if bytes.get(start) != Some(&b'{') {
        return false;
    }
    let head = &bytes[start..bytes.len().min(start + 4096)];
    let has = |needle: &[u8]| head.windows(needle.len()).any(|w| w == needle);
    has(b"\"messages\"")
        || has(b"\"receivedMessages\"")
        || (has(b"\"data\"") && has(b"\"attributes\""))
}

fn err(reason: impl Into<String>) -> Error {
    Error::Malformed {
        structure: "AMS JSON document".into(),
        reason: reason.into(),
    }
}

fn text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn decode_data(s: &str) -> Result<Vec<u8>, Error> {
    let cleaned: String = s.chars().filter(|c| !c.is_ascii_whitespace()).collect();
    base64::engine::general_purpose::STANDARD
        .decode(&cleaned)
        .or_else(|_| base64::engine::general_purpose::URL_SAFE.decode(&cleaned))
        .or_else(|_| base64::engine::general_purpose::STANDARD_NO_PAD.decode(&cleaned))
        .map_err(|e| err(format!("\"data\" is not base64: {e}")))
}

/// Parses an AMS document into its messages.
pub fn parse(bytes: &[u8]) -> Result<Vec<Message>, Error> {
    let doc: Value = serde_json::from_slice(bytes).map_err(|e| {
        err(format!(
            "not valid JSON: {e} (line {}, column {})",
            e.line(),
            e.column()
        ))
    })?;
    let obj = doc
        .as_object()
        .ok_or_else(|| err("the top level is not an object"))?;
    let mut items: Vec<(Option<String>, &Value)> = Vec::new();
    if let Some(list) = obj.get("receivedMessages") {
        let list = list
            .as_array()
            .ok_or_else(|| err("\"receivedMessages\" is not an array"))?;
        for rm in list {
            let ack = rm.get("ackId").map(text);
            let m = rm
                .get("message")
                .ok_or_else(|| err("a received message has no \"message\" object"))?;
            items.push((ack, m));
        }
    } else if let Some(list) = obj.get("messages") {
        let list = list
            .as_array()
            .ok_or_else(|| err("\"messages\" is not an array"))?;
        items.extend(list.iter().map(|m| (None, m)));
    } else if obj.contains_key("data") {
        items.push((None, &doc));
    } else {
        return Err(err(
            "it has neither \"messages\", \"receivedMessages\" nor \"data\"",
        ));
    }
    if items.len() > MAX_MESSAGES {
        return Err(Error::Limit {
            what: "number of AMS messages".into(),
            limit: MAX_MESSAGES,
        });
    }
    let mut out = Vec::new();
    let mut search_from = 0;
    for (i, (ack_id, m)) in items.into_iter().enumerate() {
        let data_text = m
            .get("data")
            .and_then(Value::as_str)
            .ok_or_else(|| err(format!("message #{} has no \"data\" string", i + 1)))?;
        let data = decode_data(data_text)?;
        let attributes = match m.get("attributes") {
            Some(Value::Object(a)) => a.iter().map(|(k, v)| (k.clone(), text(v))).collect(),
            Some(Value::Null) | None => Vec::new(),
            Some(_) => {
                return Err(err(format!(
                    "message #{} has \"attributes\" that is not an object",
                    i + 1
                )))
            }
        };
        let needle = data_text.as_bytes();
        let data_range = if needle.is_empty() {
            [search_from, search_from]
        } else {
            match bytes[search_from..]
                .windows(needle.len())
                .position(|w| w == needle)
            {
                Some(p) => {
                    let s = search_from + p;
                    search_from = s + needle.len();
                    [s, s + needle.len()]
                }
                None => [0, bytes.len()],
            }
        };
        out.push(Message {
            attributes,
            message_id: m.get("messageId").map(text),
            publish_time: m.get("publishTime").map(text),
            ack_id,
            data,
            data_range,
        });
    }
    Ok(out)
}

/// One message to publish: its data and attributes.
pub type Outgoing<'a> = (&'a [u8], &'a [(String, String)]);

/// Builds a publish request body for `messages`.
pub fn publish_body(messages: &[Outgoing<'_>]) -> String {
    let list: Vec<Value> = messages
        .iter()
        .map(|(data, attrs)| {
            let a: serde_json::Map<String, Value> = attrs
                .iter()
                .map(|(k, v)| (k.clone(), Value::String(v.clone())))
                .collect();
            serde_json::json!({
                "attributes": a,
                "data": base64::engine::general_purpose::STANDARD.encode(data),
            })
        })
        .collect();
    serde_json::json!({ "messages": list }).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn publish_and_pull_shapes() {
        let attrs = vec![("empaid".to_string(), "id-1".to_string())];
        let body = publish_body(&[(b"hello", &attrs)]);
        assert!(looks_like_ams(body.as_bytes()));
        let ms = parse(body.as_bytes()).unwrap();
        assert_eq!(ms[0].data, b"hello");
        assert_eq!(ms[0].attribute("empaid"), Some("id-1"));
        let r = &body.as_bytes()[ms[0].data_range[0]..ms[0].data_range[1]];
        assert_eq!(r, b"aGVsbG8=");
        let pull = br#"{"receivedMessages":[{"ackId":"a:1","message":{"attributes":{},"data":"aGk=","messageId":"7","publishTime":"t"}}]}"#;
        let ms = parse(pull).unwrap();
        assert_eq!(ms[0].data, b"hi");
        assert_eq!(ms[0].ack_id.as_deref(), Some("a:1"));
        assert_eq!(ms[0].message_id.as_deref(), Some("7"));
    }

    #[test]
    fn bad_documents_say_why() {
        assert!(parse(b"{\"messages\":[{\"data\":\"!!\"}]}")
            .unwrap_err()
            .to_string()
            .contains("not base64"));
        assert!(parse(b"{\"x\":1}")
            .unwrap_err()
            .to_string()
            .contains("neither"));
        assert!(parse(b"{")
            .unwrap_err()
            .to_string()
            .contains("not valid JSON"));
    }
}
