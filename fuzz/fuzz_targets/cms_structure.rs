//! Structure-aware CMS fuzzing: the mutator reads the input as a tree of BER/DER elements and
//! changes one element at a time (tag, length, OID, deletion, duplication, swapping, content
//! bytes, indefinite length) before writing the tree back with consistent lengths, so most
//! mutants stay well-formed enough to reach signature verification and decryption. The
//! target inspects each mutant with a keyring that holds the test PKI's anchor, CRLs and the
//! recipients' keys.
#![no_main]
use libfuzzer_sys::{fuzz_mutator, fuzz_target, fuzzer_mutate};

fuzz_target!(|data: &[u8]| sealscope_fuzz::inspect(data));

/// One element: its identifier octets and either its content or its children.
struct Node {
    tag: Vec<u8>,
    body: Body,
    /// Write with the indefinite form (constructed only).
    indefinite: bool,
    /// Write this length instead of the true one.
    forced_len: Option<Vec<u8>>,
}

enum Body {
    Primitive(Vec<u8>),
    Constructed(Vec<Node>),
}

/// Small deterministic generator (xorshift) seeded by libFuzzer.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
}

const MAX_NODES: usize = 20_000;

fn parse_all(buf: &[u8], depth: usize, count: &mut usize) -> Option<Vec<Node>> {
    let mut out = Vec::new();
    let mut pos = 0;
    while pos < buf.len() {
        let (node, used) = parse_one(&buf[pos..], depth, count)?;
        out.push(node);
        pos += used;
    }
    Some(out)
}

fn parse_one(buf: &[u8], depth: usize, count: &mut usize) -> Option<(Node, usize)> {
    *count += 1;
    if depth > 64 || *count > MAX_NODES {
        return None;
    }
    let first = *buf.first()?;
    let mut pos = 1;
    if first & 0x1f == 0x1f {
        loop {
            let b = *buf.get(pos)?;
            pos += 1;
            if b & 0x80 == 0 {
                break;
            }
            if pos > 6 {
                return None;
            }
        }
    }
    let tag = buf[..pos].to_vec();
    let constructed = first & 0x20 != 0;
    let l0 = *buf.get(pos)?;
    pos += 1;
    if l0 == 0x80 {
        // Indefinite: children until end-of-contents.
        if !constructed {
            return None;
        }
        let mut children = Vec::new();
        loop {
            if buf.get(pos..pos + 2)? == [0, 0] {
                pos += 2;
                break;
            }
            let (child, used) = parse_one(&buf[pos..], depth + 1, count)?;
            children.push(child);
            pos += used;
        }
        let node = Node {
            tag,
            body: Body::Constructed(children),
            indefinite: true,
            forced_len: None,
        };
        return Some((node, pos));
    }
    let len = if l0 & 0x80 == 0 {
        l0 as usize
    } else {
        let n = (l0 & 0x7f) as usize;
        if n == 0 || n > 4 {
            return None;
        }
        let mut v = 0usize;
        for _ in 0..n {
            v = (v << 8) | *buf.get(pos)? as usize;
            pos += 1;
        }
        v
    };
    let content = buf.get(pos..pos.checked_add(len)?)?;
    let body = if constructed {
        Body::Constructed(parse_all(content, depth + 1, count)?)
    } else {
        Body::Primitive(content.to_vec())
    };
    Some((
        Node {
            tag,
            body,
            indefinite: false,
            forced_len: None,
        },
        pos + len,
    ))
}

fn encode_len(n: usize, out: &mut Vec<u8>) {
    if n < 0x80 {
        out.push(n as u8);
    } else {
        let bytes = n.to_be_bytes();
        let skip = bytes.iter().take_while(|b| **b == 0).count();
        out.push(0x80 | (bytes.len() - skip) as u8);
        out.extend_from_slice(&bytes[skip..]);
    }
}

fn write(nodes: &[Node], out: &mut Vec<u8>) {
    for node in nodes {
        out.extend_from_slice(&node.tag);
        let mut content = Vec::new();
        match &node.body {
            Body::Primitive(bytes) => content.extend_from_slice(bytes),
            Body::Constructed(children) => write(children, &mut content),
        }
        let indefinite = node.indefinite && matches!(node.body, Body::Constructed(_));
        match (&node.forced_len, indefinite) {
            (Some(len), _) => out.extend_from_slice(len),
            (None, true) => out.push(0x80),
            (None, false) => encode_len(content.len(), out),
        }
        out.extend_from_slice(&content);
        if indefinite && node.forced_len.is_none() {
            out.extend_from_slice(&[0, 0]);
        }
    }
}

/// Paths (child indices from the top) of every element, in document order.
fn paths(nodes: &[Node], prefix: &mut Vec<usize>, out: &mut Vec<Vec<usize>>) {
    for (i, node) in nodes.iter().enumerate() {
        prefix.push(i);
        out.push(prefix.clone());
        if let Body::Constructed(children) = &node.body {
            paths(children, prefix, out);
        }
        prefix.pop();
    }
}

/// The sibling list holding the element at `path`, and its index there.
fn siblings<'a>(nodes: &'a mut Vec<Node>, path: &[usize]) -> Option<(&'a mut Vec<Node>, usize)> {
    let (last, parents) = path.split_last()?;
    let mut list = nodes;
    for i in parents {
        match &mut list.get_mut(*i)?.body {
            Body::Constructed(children) => list = children,
            Body::Primitive(_) => return None,
        }
    }
    (*last < list.len()).then_some((list, *last))
}

/// OIDs (content octets) a CMS message is built from, to swap in.
const OIDS: &[&[u8]] = &[
    &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x01], // data
    &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x02], // signedData
    &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x03], // envelopedData
    &[
        0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x10, 0x01, 0x09,
    ], // compressedData
    &[
        0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x10, 0x01, 0x17,
    ], // authEnvelopedData
    &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x03], // contentType
    &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x04], // messageDigest
    &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x05], // signingTime
    &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01], // rsaEncryption
    &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x07], // RSAES-OAEP
    &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0a], // RSASSA-PSS
    &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0b], // sha256WithRSAEncryption
    &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01],             // ecPublicKey
    &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x02],       // ecdsa-with-SHA256
    &[0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01], // sha256
    &[0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x03], // sha512
    &[0x2b, 0x0e, 0x03, 0x02, 0x1a],                         // sha1
    &[0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x01, 0x02], // aes128-CBC
    &[0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x01, 0x2a], // aes256-CBC
    &[0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x01, 0x2e], // aes256-GCM
    &[0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x01, 0x05], // aes128-wrap
    &[0x2b, 0x81, 0x04, 0x01, 0x0b, 0x01],                   // dhSinglePass-stdDH-sha256kdf
    &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x05, 0x0d], // PBES2
];

const TAGS: &[u8] = &[
    0x30, 0x31, 0x02, 0x03, 0x04, 0x05, 0x06, 0x0c, 0x13, 0x17, 0x18, 0x24, 0x80, 0x81, 0xa0, 0xa1,
    0xa2, 0xa3, 0xa4,
];

fn mutate_tree(nodes: &mut Vec<Node>, rng: &mut Rng) -> bool {
    let mut all = Vec::new();
    paths(nodes, &mut Vec::new(), &mut all);
    if all.is_empty() {
        return false;
    }
    let path = all[rng.below(all.len())].clone();
    let choice = rng.below(9);
    let Some((list, i)) = siblings(nodes, &path) else {
        return false;
    };
    match choice {
        0 => {
            let t = TAGS[rng.below(TAGS.len())];
            // Keep the constructed bit consistent with the body so the tree still writes.
            let constructed = matches!(list[i].body, Body::Constructed(_));
            list[i].tag = vec![(t & !0x20) | if constructed { 0x20 } else { 0 }];
        }
        1 => {
            let mut content = Vec::new();
            write(std::slice::from_ref(&list[i]), &mut content);
            let true_len = content.len().saturating_sub(list[i].tag.len() + 2);
            let forced: Vec<u8> = match rng.below(5) {
                0 => vec![0],
                1 => {
                    let mut v = Vec::new();
                    encode_len(true_len + 1, &mut v);
                    v
                }
                2 => {
                    let mut v = Vec::new();
                    encode_len(true_len.saturating_sub(1), &mut v);
                    v
                }
                3 => vec![0x84, 0xff, 0xff, 0xff, 0xff],
                _ => vec![0x81, 0x05],
            };
            list[i].forced_len = Some(forced);
        }
        2 => match &mut list[i] {
            Node {
                tag,
                body: Body::Primitive(bytes),
                ..
            } if *tag == [0x06] => {
                *bytes = OIDS[rng.below(OIDS.len())].to_vec();
            }
            Node {
                body: Body::Primitive(bytes),
                ..
            } => {
                let size = bytes.len();
                bytes.resize(size * 2 + 16, 0);
                let n = fuzzer_mutate(bytes, size, size * 2 + 16);
                bytes.truncate(n);
            }
            Node { indefinite, .. } => *indefinite = !*indefinite,
        },
        3 => {
            list.remove(i);
        }
        4 => {
            let mut bytes = Vec::new();
            write(std::slice::from_ref(&list[i]), &mut bytes);
            let mut count = 0;
            if let Some((copy, _)) = parse_one(&bytes, 0, &mut count) {
                list.insert(i, copy);
            }
        }
        5 if list.len() > 1 => {
            let j = rng.below(list.len());
            list.swap(i, j);
        }
        6 => {
            // Another OID, or one flipped bit of a primitive's content.
            if let Node {
                tag,
                body: Body::Primitive(bytes),
                ..
            } = &mut list[i]
            {
                if *tag == [0x06] {
                    *bytes = OIDS[rng.below(OIDS.len())].to_vec();
                } else if !bytes.is_empty() {
                    let k = rng.below(bytes.len());
                    bytes[k] ^= 1 << rng.below(8);
                }
            }
        }
        7 => {
            if let Body::Primitive(bytes) = &mut list[i].body {
                let keep = rng.below(bytes.len() + 1);
                bytes.truncate(keep);
            }
        }
        _ => {
            if let Body::Constructed(children) = &mut list[i].body {
                children.clear();
            }
        }
    }
    true
}

fuzz_mutator!(|data: &mut [u8], size: usize, max_size: usize, seed: u32| {
    let mut rng = Rng(u64::from(seed) | 1 << 40);
    // One time in eight, or when the input is not a tree of elements, mutate bytes instead.
    if rng.below(8) == 0 {
        return fuzzer_mutate(data, size, max_size);
    }
    let mut count = 0;
    let Some(mut tree) = parse_all(&data[..size], 0, &mut count) else {
        return fuzzer_mutate(data, size, max_size);
    };
    for _ in 0..=rng.below(3) {
        if !mutate_tree(&mut tree, &mut rng) {
            break;
        }
    }
    let mut out = Vec::with_capacity(size);
    write(&tree, &mut out);
    if out.len() > max_size || out.is_empty() {
        return fuzzer_mutate(data, size, max_size);
    }
    data[..out.len()].copy_from_slice(&out);
    out.len()
});
