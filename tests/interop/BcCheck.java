// Checks CMS and S/MIME messages with BouncyCastle, as an independent reader of
// what `sealscope compose` writes (see bc-accepts-compose.sh).
//
// A single-file program: Java 11 and later run it from source with the
// BouncyCastle jars on the class path (the same jars as tests/fixtures):
//
//   java -cp /usr/share/java/bcprov.jar:/usr/share/java/bcutil.jar:/usr/share/java/bcpkix.jar \
//       BcCheck.java verify FILE [--content FILE] --ca ROOT.pem [--ca INTER.pem]... [--at TIME] [--out FILE]
//   java -cp ... BcCheck.java decrypt FILE --key KEY.pem --cert CERT.pem [--out FILE]
//
// verify: FILE is DER (or BER) CMS SignedData, or an S/MIME message whose top
//   entity is multipart/signed or application/pkcs7-mime (signed-data). For
//   multipart/signed the signed content is the first body part exactly as the
//   bytes between the boundaries (RFC 1847: the CRLF before a delimiter
//   belongs to the delimiter); --content gives the content of a detached
//   DER signature. Every SignerInfo is verified against its certificate from
//   the message (JcaSimpleSignerInfoVerifierBuilder), and that certificate
//   must build a PKIX path (BouncyCastle's CertPathBuilder, revocation off)
//   to a self-signed --ca certificate; --ca certificates that are not
//   self-signed serve as intermediates next to those in the message. The
//   path is validated at --at (RFC 3339), else at the signer's signingTime,
//   else now. Prints per signer
//     OK <signer subject> <digest algorithm OID> <content sha256 hex>
//   and --out writes the signed content.
//
// decrypt: FILE is DER EnvelopedData or AuthEnvelopedData, or an S/MIME
//   application/pkcs7-mime message carrying one. The RecipientInfo for CERT
//   (key transport or key agreement) is decrypted with KEY (unencrypted
//   PKCS#8 PEM). Prints
//     OK <content sha256 hex>
//   and --out writes the content.
//
// Any failure prints one line "FAIL <reason>"; the exit status is 0 when
// every line is OK and 1 otherwise (2 for a usage error).

import java.io.ByteArrayInputStream;
import java.io.FileReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.Security;
import java.security.cert.CertPathBuilder;
import java.security.cert.CertStore;
import java.security.cert.CertificateFactory;
import java.security.cert.CollectionCertStoreParameters;
import java.security.cert.PKIXBuilderParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509CertSelector;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Date;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.cms.Attribute;
import org.bouncycastle.asn1.cms.AttributeTable;
import org.bouncycastle.asn1.cms.CMSAttributes;
import org.bouncycastle.asn1.cms.CMSObjectIdentifiers;
import org.bouncycastle.asn1.cms.ContentInfo;
import org.bouncycastle.asn1.cms.Time;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cms.CMSAuthEnvelopedData;
import org.bouncycastle.cms.CMSEnvelopedData;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.KeyAgreeRecipientInformation;
import org.bouncycastle.cms.KeyTransRecipientInformation;
import org.bouncycastle.cms.Recipient;
import org.bouncycastle.cms.RecipientId;
import org.bouncycastle.cms.RecipientInformation;
import org.bouncycastle.cms.RecipientInformationStore;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;
import org.bouncycastle.cms.jcajce.JceKeyAgreeEnvelopedRecipient;
import org.bouncycastle.cms.jcajce.JceKeyAgreeRecipientId;
import org.bouncycastle.cms.jcajce.JceKeyTransAuthEnvelopedRecipient;
import org.bouncycastle.cms.jcajce.JceKeyTransEnvelopedRecipient;
import org.bouncycastle.cms.jcajce.JceKeyTransRecipientId;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.util.Selector;

public class BcCheck {
    /** A failure with the reason printed after FAIL. */
    static final class Fail extends Exception {
        Fail(String reason) {
            super(reason);
        }
    }

    public static void main(String[] args) {
        Security.addProvider(new BouncyCastleProvider());
        if (args.length < 2) {
            usage();
        }
        Map<String, List<String>> opts = new LinkedHashMap<>();
        for (int i = 2; i < args.length; i += 2) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                usage();
            }
            opts.computeIfAbsent(args[i], k -> new ArrayList<>()).add(args[i + 1]);
        }
        boolean ok;
        try {
            switch (args[0]) {
                case "verify":
                    ok = verify(args[1], opts);
                    break;
                case "decrypt":
                    ok = decrypt(args[1], opts);
                    break;
                default:
                    usage();
                    return;
            }
        } catch (Fail f) {
            System.out.println("FAIL " + f.getMessage());
            ok = false;
        } catch (Exception e) {
            System.out.println("FAIL " + describe(e));
            ok = false;
        }
        System.exit(ok ? 0 : 1);
    }

    static void usage() {
        System.err.println("usage: BcCheck verify FILE [--content FILE] --ca CERT.pem [--ca CERT.pem]... [--at TIME] [--out FILE]");
        System.err.println("       BcCheck decrypt FILE --key KEY.pem --cert CERT.pem [--out FILE]");
        System.exit(2);
    }

    /** The exception's class and message, and those of its causes. */
    static String describe(Throwable e) {
        StringBuilder sb = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (sb.length() > 0) {
                sb.append(" <- ");
            }
            sb.append(t.getClass().getSimpleName());
            if (t.getMessage() != null) {
                sb.append(": ").append(t.getMessage().replace('\n', ' '));
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return sb.toString();
    }

    static String one(Map<String, List<String>> opts, String name, boolean required) throws Fail {
        List<String> v = opts.get(name);
        if (v == null || v.isEmpty()) {
            if (required) {
                throw new Fail("missing " + name);
            }
            return null;
        }
        return v.get(v.size() - 1);
    }

    // -----------------------------------------------------------------------
    // verify

    static boolean verify(String file, Map<String, List<String>> opts) throws Exception {
        List<String> caFiles = opts.getOrDefault("--ca", List.of());
        if (caFiles.isEmpty()) {
            throw new Fail("missing --ca");
        }
        byte[] input = Files.readAllBytes(Paths.get(file));
        byte[] cms;
        byte[] detached = null;
        if (isDer(input)) {
            cms = input;
        } else {
            Entity top = Entity.parse(input);
            if (top.type.equals("multipart/signed")) {
                String boundary = top.params.get("boundary");
                if (boundary == null) {
                    throw new Fail("multipart/signed without a boundary");
                }
                List<byte[]> parts = splitMultipart(top.body, boundary);
                if (parts.size() != 2) {
                    throw new Fail("multipart/signed with " + parts.size() + " body parts, not 2");
                }
                detached = parts.get(0);
                Entity sig = Entity.parse(parts.get(1));
                if (!sig.type.equals("application/pkcs7-signature")
                        && !sig.type.equals("application/x-pkcs7-signature")) {
                    throw new Fail("second body part is " + sig.type + ", not application/pkcs7-signature");
                }
                cms = sig.decodedBody();
            } else if (isPkcs7Mime(top.type)) {
                cms = top.decodedBody();
            } else {
                throw new Fail("top-level entity is " + top.type + ", neither multipart/signed nor application/pkcs7-mime");
            }
        }
        String contentFile = one(opts, "--content", false);
        if (contentFile != null) {
            if (detached != null) {
                throw new Fail("--content given for a multipart/signed message");
            }
            detached = Files.readAllBytes(Paths.get(contentFile));
        }

        ContentInfo ci = ContentInfo.getInstance(cms);
        if (!ci.getContentType().equals(CMSObjectIdentifiers.signedData)) {
            throw new Fail("CMS content type " + ci.getContentType().getId() + " is not signed-data");
        }
        CMSSignedData signed;
        byte[] content;
        if (detached != null) {
            signed = new CMSSignedData(new CMSProcessableByteArray(detached), ci);
            content = detached;
        } else {
            signed = new CMSSignedData(ci);
            if (signed.getSignedContent() == null) {
                throw new Fail("detached signature without content (give --content)");
            }
            content = (byte[]) signed.getSignedContent().getContent();
        }

        // Trust anchors (self-signed --ca certificates) and intermediates.
        Set<TrustAnchor> anchors = new HashSet<>();
        List<X509Certificate> pool = new ArrayList<>();
        for (String p : caFiles) {
            for (X509Certificate c : readCerts(p)) {
                if (selfSigned(c)) {
                    anchors.add(new TrustAnchor(c, null));
                } else {
                    pool.add(c);
                }
            }
        }
        if (anchors.isEmpty()) {
            throw new Fail("no self-signed certificate among --ca");
        }
        JcaX509CertificateConverter conv = new JcaX509CertificateConverter().setProvider("BC");
        @SuppressWarnings("unchecked")
        Collection<X509CertificateHolder> messageCerts = signed.getCertificates().getMatches(null);
        for (X509CertificateHolder h : messageCerts) {
            pool.add(conv.getCertificate(h));
        }

        String at = one(opts, "--at", false);
        Collection<SignerInformation> signers = signed.getSignerInfos().getSigners();
        if (signers.isEmpty()) {
            throw new Fail("no SignerInfo");
        }
        String digest = hex(sha256(content));
        boolean allOk = true;
        int n = 0;
        for (SignerInformation si : signers) {
            n++;
            try {
                @SuppressWarnings("unchecked")
                Collection<X509CertificateHolder> matches =
                        signed.getCertificates().getMatches((Selector<X509CertificateHolder>) si.getSID());
                if (matches.isEmpty()) {
                    throw new Fail("SignerInfo #" + n + ": signer certificate not in the message");
                }
                X509CertificateHolder holder = matches.iterator().next();
                boolean good;
                try {
                    good = si.verify(new JcaSimpleSignerInfoVerifierBuilder().setProvider("BC").build(holder));
                } catch (Exception e) {
                    throw new Fail("SignerInfo #" + n + ": signature: " + describe(e));
                }
                if (!good) {
                    throw new Fail("SignerInfo #" + n + ": signature does not verify");
                }
                Date when = at != null ? Date.from(Instant.parse(at)) : signingTime(si);
                if (when == null) {
                    when = new Date();
                }
                try {
                    X509CertSelector target = new X509CertSelector();
                    target.setCertificate(conv.getCertificate(holder));
                    PKIXBuilderParameters params = new PKIXBuilderParameters(anchors, target);
                    params.setRevocationEnabled(false);
                    params.setDate(when);
                    params.addCertStore(CertStore.getInstance(
                            "Collection", new CollectionCertStoreParameters(pool), "BC"));
                    CertPathBuilder.getInstance("PKIX", "BC").build(params);
                } catch (Exception e) {
                    throw new Fail("SignerInfo #" + n + ": certificate path: " + describe(e));
                }
                System.out.println("OK " + holder.getSubject() + " " + si.getDigestAlgOID() + " " + digest);
            } catch (Fail f) {
                System.out.println("FAIL " + f.getMessage());
                allOk = false;
            }
        }
        String out = one(opts, "--out", false);
        if (out != null) {
            Files.write(Paths.get(out), content);
        }
        return allOk;
    }

    static Date signingTime(SignerInformation si) {
        AttributeTable signed = si.getSignedAttributes();
        if (signed == null) {
            return null;
        }
        Attribute a = signed.get(CMSAttributes.signingTime);
        if (a == null || a.getAttrValues().size() != 1) {
            return null;
        }
        return Time.getInstance(a.getAttrValues().getObjectAt(0)).getDate();
    }

    static boolean selfSigned(X509Certificate c) {
        if (!c.getSubjectX500Principal().equals(c.getIssuerX500Principal())) {
            return false;
        }
        try {
            c.verify(c.getPublicKey());
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    // -----------------------------------------------------------------------
    // decrypt

    static boolean decrypt(String file, Map<String, List<String>> opts) throws Exception {
        PrivateKey key = readKey(one(opts, "--key", true));
        List<X509Certificate> certs = readCerts(one(opts, "--cert", true));
        if (certs.isEmpty()) {
            throw new Fail("no certificate in --cert");
        }
        X509Certificate cert = certs.get(0);

        byte[] input = Files.readAllBytes(Paths.get(file));
        byte[] cms;
        if (isDer(input)) {
            cms = input;
        } else {
            Entity top = Entity.parse(input);
            if (!isPkcs7Mime(top.type)) {
                throw new Fail("top-level entity is " + top.type + ", not application/pkcs7-mime");
            }
            cms = top.decodedBody();
        }
        ContentInfo ci = ContentInfo.getInstance(cms);
        ASN1ObjectIdentifier type = ci.getContentType();
        boolean auth;
        RecipientInformationStore store;
        if (type.equals(CMSObjectIdentifiers.envelopedData)) {
            auth = false;
            store = new CMSEnvelopedData(ci).getRecipientInfos();
        } else if (type.equals(CMSObjectIdentifiers.authEnvelopedData)) {
            auth = true;
            store = new CMSAuthEnvelopedData(ci).getRecipientInfos();
        } else {
            throw new Fail("CMS content type " + type.getId() + " is neither enveloped-data nor auth-enveloped-data");
        }

        String alg = cert.getPublicKey().getAlgorithm();
        boolean rsa = alg.equals("RSA");
        RecipientId rid = rsa ? new JceKeyTransRecipientId(cert) : new JceKeyAgreeRecipientId(cert);
        RecipientInformation ri = store.get(rid);
        if (ri == null) {
            throw new Fail("no " + (rsa ? "key-transport" : "key-agreement") + " RecipientInfo for "
                    + cert.getSubjectX500Principal() + " among " + store.size() + " recipient(s)");
        }
        Recipient recipient;
        if (ri instanceof KeyTransRecipientInformation) {
            // AuthEnvelopedData wants the AEAD-aware recipient (authAttrs as AAD).
            recipient = auth
                    ? new JceKeyTransAuthEnvelopedRecipient(key).setProvider("BC")
                    : new JceKeyTransEnvelopedRecipient(key).setProvider("BC");
        } else if (ri instanceof KeyAgreeRecipientInformation) {
            // BouncyCastle 1.72 has no key-agreement AuthEnveloped recipient; for
            // AuthEnvelopedData it appends the MAC to the ciphertext, so the GCM
            // cipher of this recipient still checks the tag (no authAttrs as AAD).
            recipient = new JceKeyAgreeEnvelopedRecipient(key).setProvider("BC");
        } else {
            throw new Fail("unexpected RecipientInfo " + ri.getClass().getSimpleName());
        }
        byte[] content;
        try {
            content = ri.getContent(recipient);
        } catch (Exception e) {
            throw new Fail("decryption: " + describe(e));
        }
        System.out.println("OK " + hex(sha256(content)));
        String out = one(opts, "--out", false);
        if (out != null) {
            Files.write(Paths.get(out), content);
        }
        return true;
    }

    // -----------------------------------------------------------------------
    // minimal MIME

    static boolean isDer(byte[] b) {
        return b.length > 0 && (b[0] & 0xff) == 0x30;
    }

    static boolean isPkcs7Mime(String type) {
        return type.equals("application/pkcs7-mime") || type.equals("application/x-pkcs7-mime");
    }

    /** One MIME entity: its media type (lower case), parameters and raw body. */
    static final class Entity {
        String type = "text/plain";
        final Map<String, String> params = new LinkedHashMap<>();
        String transferEncoding = "7bit";
        byte[] body;

        static Entity parse(byte[] raw) throws Fail {
            Entity e = new Entity();
            int end = -1;
            int bodyStart = -1;
            for (int i = 0; i < raw.length; i++) {
                if (raw[i] != '\n') {
                    continue;
                }
                if (i + 1 < raw.length && raw[i + 1] == '\n') {
                    end = i;
                    bodyStart = i + 2;
                    break;
                }
                if (i + 2 < raw.length && raw[i + 1] == '\r' && raw[i + 2] == '\n') {
                    end = i;
                    bodyStart = i + 3;
                    break;
                }
            }
            if (raw.length > 1 && raw[0] == '\r' && raw[1] == '\n') {
                end = 0;
                bodyStart = 2;
            } else if (raw.length > 0 && raw[0] == '\n') {
                end = 0;
                bodyStart = 1;
            }
            if (end < 0) {
                throw new Fail("no end of MIME headers");
            }
            String head = new String(raw, 0, end, StandardCharsets.ISO_8859_1);
            List<String> fields = new ArrayList<>();
            for (String line : head.split("\r?\n")) {
                if (line.isEmpty()) {
                    continue;
                }
                if ((line.charAt(0) == ' ' || line.charAt(0) == '\t') && !fields.isEmpty()) {
                    fields.set(fields.size() - 1, fields.get(fields.size() - 1) + line);
                } else {
                    fields.add(line);
                }
            }
            for (String f : fields) {
                int colon = f.indexOf(':');
                if (colon < 0) {
                    continue;
                }
                String name = f.substring(0, colon).trim().toLowerCase(Locale.ROOT);
                String value = f.substring(colon + 1).trim();
                if (name.equals("content-type")) {
                    e.parseContentType(value);
                } else if (name.equals("content-transfer-encoding")) {
                    e.transferEncoding = value.toLowerCase(Locale.ROOT);
                }
            }
            e.body = java.util.Arrays.copyOfRange(raw, bodyStart, raw.length);
            return e;
        }

        void parseContentType(String value) {
            List<String> pieces = new ArrayList<>();
            StringBuilder cur = new StringBuilder();
            boolean quoted = false;
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                if (quoted && c == '\\' && i + 1 < value.length()) {
                    cur.append(c).append(value.charAt(++i));
                } else if (c == '"') {
                    quoted = !quoted;
                    cur.append(c);
                } else if (c == ';' && !quoted) {
                    pieces.add(cur.toString());
                    cur.setLength(0);
                } else {
                    cur.append(c);
                }
            }
            pieces.add(cur.toString());
            type = pieces.get(0).trim().toLowerCase(Locale.ROOT);
            for (int i = 1; i < pieces.size(); i++) {
                String p = pieces.get(i).trim();
                int eq = p.indexOf('=');
                if (eq <= 0) {
                    continue;
                }
                String name = p.substring(0, eq).trim().toLowerCase(Locale.ROOT);
                String v = p.substring(eq + 1).trim();
                if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) {
                    v = v.substring(1, v.length() - 1).replaceAll("\\\\(.)", "$1");
                }
                params.put(name, v);
            }
        }

        byte[] decodedBody() throws Fail {
            switch (transferEncoding) {
                case "base64":
                    return Base64.getMimeDecoder().decode(body);
                case "7bit":
                case "8bit":
                case "binary":
                    return body;
                default:
                    throw new Fail("unsupported Content-Transfer-Encoding " + transferEncoding);
            }
        }
    }

    /**
     * The body parts of a multipart body, each exactly the bytes between the
     * end of one delimiter line and the line break that starts the next.
     */
    static List<byte[]> splitMultipart(byte[] body, String boundary) throws Fail {
        byte[] dash = ("--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        List<byte[]> parts = new ArrayList<>();
        int partStart = -1;
        int lineStart = 0;
        while (lineStart <= body.length) {
            if (startsWith(body, lineStart, dash)) {
                int after = lineStart + dash.length;
                boolean close = startsWith(body, after, "--".getBytes(StandardCharsets.ISO_8859_1));
                int p = close ? after + 2 : after;
                while (p < body.length && (body[p] == ' ' || body[p] == '\t')) {
                    p++;
                }
                boolean eol = p >= body.length || body[p] == '\n' || (body[p] == '\r' && p + 1 < body.length && body[p + 1] == '\n');
                if (eol) {
                    if (partStart >= 0) {
                        int end = lineStart;
                        // The line break before the delimiter belongs to it.
                        if (end > partStart && body[end - 1] == '\n') {
                            end--;
                            if (end > partStart && body[end - 1] == '\r') {
                                end--;
                            }
                        }
                        parts.add(java.util.Arrays.copyOfRange(body, partStart, end));
                    }
                    if (close) {
                        return parts;
                    }
                    int nl = p < body.length && body[p] == '\r' ? p + 2 : p + 1;
                    partStart = Math.min(nl, body.length);
                }
            }
            int next = indexOf(body, (byte) '\n', lineStart);
            if (next < 0) {
                break;
            }
            lineStart = next + 1;
        }
        throw new Fail("multipart body without a closing delimiter");
    }

    static boolean startsWith(byte[] b, int off, byte[] prefix) {
        if (off + prefix.length > b.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (b[off + i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    static int indexOf(byte[] b, byte v, int from) {
        for (int i = from; i < b.length; i++) {
            if (b[i] == v) {
                return i;
            }
        }
        return -1;
    }

    // -----------------------------------------------------------------------
    // files and digests

    static List<X509Certificate> readCerts(String path) throws Exception {
        CertificateFactory cf = CertificateFactory.getInstance("X.509", "BC");
        List<X509Certificate> out = new ArrayList<>();
        try (ByteArrayInputStream in = new ByteArrayInputStream(Files.readAllBytes(Paths.get(path)))) {
            for (java.security.cert.Certificate c : cf.generateCertificates(in)) {
                out.add((X509Certificate) c);
            }
        }
        return out;
    }

    static PrivateKey readKey(String path) throws Exception {
        try (PEMParser p = new PEMParser(new FileReader(path))) {
            Object o = p.readObject();
            if (!(o instanceof PrivateKeyInfo)) {
                throw new Fail(path + ": not an unencrypted PKCS#8 key");
            }
            return new JcaPEMKeyConverter().setProvider("BC").getPrivateKey((PrivateKeyInfo) o);
        }
    }

    static byte[] sha256(byte[] data) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(data);
    }

    static String hex(byte[] b) {
        StringBuilder sb = new StringBuilder(b.length * 2);
        for (byte x : b) {
            sb.append(String.format("%02x", x & 0xff));
        }
        return sb.toString();
    }
}
