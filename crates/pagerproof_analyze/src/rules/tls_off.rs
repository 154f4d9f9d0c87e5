//! TLS-OFF: `tls-verification-disabled`: certificate verification turned off.

use pagerproof_core::{Confidence, Severity};
use tree_sitter::Node;

use crate::case;
use crate::lang::Family;
use crate::lang::NodeExt;
use crate::lang::imports::unquote;
use crate::lang::syntax::{self, descendants, kwarg};
use crate::rule::{CodeRule, Cx, Docs, Handling, RuleMeta};

pub static META: RuleMeta = RuleMeta {
    id: "tls-verification-disabled",
    category: "TLS-OFF",
    severity: Severity::P0,
    confidence: Confidence::High,
    preview: false,
    languages: &["python", "go", "javascript", "typescript", "java"],
    summary: "TLS certificate verification disabled",
    docs: Docs {
        what: "Certificate or hostname verification turned off: Python `verify=False`, \
`ssl._create_unverified_context()`, `CERT_NONE`, `check_hostname = False`; Go `InsecureSkipVerify: true`; Node \
`rejectUnauthorized: false`, `NODE_TLS_REJECT_UNAUTHORIZED = '0'`, `strictSSL: false`; Java trust-all \
`X509TrustManager`s (empty `checkServerTrusted`), hostname verifiers that return `true`, `NoopHostnameVerifier`, \
`TrustAllStrategy`. Plaintext transport that carries no verification (`grpc.insecure_channel`, \
`insecure.NewCredentials()`) is a different decision and is not reported here.",
        scenario: "Someone on the network path (a compromised pod, a rogue Wi-Fi, a misrouted proxy) presents any \
certificate.",
        impact: "The connection is silently intercepted: credentials, tokens and customer data sent over it are \
read or altered. It is a security breach with no error to notice.",
        detection: "None at run time, by construction. Only code review or a TLS-interception test finds it.",
        mitigation: "Verify certificates. For private CAs, pass the CA bundle instead of disabling verification.",
        fixes: &[
            (
                "python",
                "requests.get(url, verify=\"/etc/ssl/internal-ca.pem\", timeout=5)",
            ),
            (
                "go",
                "pool := x509.NewCertPool()\npool.AppendCertsFromPEM(caPEM)\ntlsCfg := &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}",
            ),
            (
                "javascript",
                "const agent = new https.Agent({ ca: fs.readFileSync('internal-ca.pem') });",
            ),
            (
                "typescript",
                "const agent = new https.Agent({ ca: fs.readFileSync('internal-ca.pem') });",
            ),
            (
                "java",
                "SSLContext ctx = SSLContexts.custom().loadTrustMaterial(truststore, null).build();",
            ),
        ],
        monitoring: "Nothing to alert on at run time; enforce in CI by failing the build on this rule.",
    },
    outside_production: Handling::Drop,
    cases: &[
        case!(
            "svc/client.py",
            r#"import requests, ssl
requests.get("https://internal", verify=False, timeout=5)
                                 ^ `verify=False`
ctx = ssl._create_unverified_context()
      ^ unverified SSL context
requests.get("https://internal", verify="/ca.pem", timeout=5)
"#
        ),
        case!(
            "pkg/client/tls.go",
            r#"package client

import "crypto/tls"

var bad = &tls.Config{InsecureSkipVerify: true}
                      ^ `InsecureSkipVerify: true`
var good = &tls.Config{MinVersion: tls.VersionTLS12}
"#
        ),
        case!(
            "lib/agent.js",
            r#"const https = require('https');
const agent = new https.Agent({ rejectUnauthorized: false });
                                ^ `rejectUnauthorized: false`
process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0';
^ NODE_TLS_REJECT_UNAUTHORIZED
const ok = new https.Agent({ rejectUnauthorized: true });
"#
        ),
        case!(
            "src/main/java/a/Http.java",
            r#"package a;
import javax.net.ssl.*;
class Http {
    HostnameVerifier v = (hostname, session) -> true;
                         ^ hostname verifier that accepts every host
    X509TrustManager tm = new X509TrustManager() {
        public void checkClientTrusted(java.security.cert.X509Certificate[] c, String a) {}
        public void checkServerTrusted(java.security.cert.X509Certificate[] c, String a) {}
        ^ trust manager that accepts every certificate
        public java.security.cert.X509Certificate[] getAcceptedIssuers() { return null; }
    };
}
"#
        ),
        case!(
            "tests/test_tls.py",
            "import requests\nrequests.get('https://self-signed.local', verify=False)\n"
        ),
        case!(
            "pkg/ok/tls.go",
            "package ok\n\nimport \"crypto/tls\"\n\nvar cfg = &tls.Config{InsecureSkipVerify: false, MinVersion: tls.VersionTLS12}\n"
        ),
        case!(
            "lib/ok.ts",
            "import https from 'https';\nexport const agent = new https.Agent({ ca: caBundle, rejectUnauthorized: true });\n"
        ),
        case!(
            "src/main/java/a/Ok.java",
            "package a;\nclass Ok {\n    HostnameVerifier v = HttpsURLConnection.getDefaultHostnameVerifier();\n}\n"
        ),
    ],
};

pub struct Rule;
pub static RULE: Rule = Rule;

impl CodeRule for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }
    fn kinds(&self, f: Family) -> &'static [&'static str] {
        match f {
            Family::Python => &["call", "assignment"],
            Family::Go => &["keyed_element"],
            Family::Js => &["pair", "assignment_expression"],
            Family::Java => &[
                "lambda_expression",
                "method_declaration",
                "object_creation_expression",
                "method_invocation",
            ],
        }
    }
    fn check(&self, node: Node<'_>, cx: &mut Cx<'_>) {
        match cx.family() {
            Family::Python => python(node, cx),
            Family::Go => go(node, cx),
            Family::Js => js(node, cx),
            Family::Java => java(node, cx),
        }
    }
}

fn python(node: Node<'_>, cx: &mut Cx<'_>) {
    if node.kind_name() == "assignment" {
        let (Some(l), Some(r)) = (node.field("left"), node.field("right")) else {
            return;
        };
        let lt = cx.text(l);
        let rt = cx.text(r);
        if (lt.ends_with("check_hostname") && rt == "False")
            || (lt.ends_with("verify_mode") && rt.ends_with("CERT_NONE"))
        {
            cx.hit(
                &META,
                node,
                lt.to_string(),
                format!("`{lt} = {rt}` disables certificate verification"),
            );
        }
        return;
    }
    if let Some(v) = kwarg(node, cx.src, "verify")
        && cx.text(v) == "False"
    {
        let at = v.parent().unwrap_or(v);
        let (w, _) = cx.callee(node);
        cx.hit(
            &META,
            at,
            "verify=False",
            format!("`verify=False` on `{w}` disables certificate verification"),
        );
        return;
    }
    let (_, resolved) = cx.callee(node);
    if resolved == "ssl._create_unverified_context" {
        cx.hit(
            &META,
            node,
            resolved.clone(),
            "unverified SSL context (`ssl._create_unverified_context()`) accepts any certificate",
        );
    }
}

fn go(node: Node<'_>, cx: &mut Cx<'_>) {
    let (Some(k), Some(v)) = (node.named_child(0), node.named_child(1)) else {
        return;
    };
    if cx.text(k).trim() == "InsecureSkipVerify" && cx.text(v).trim() == "true" {
        cx.hit(
            &META,
            node,
            "InsecureSkipVerify",
            "`InsecureSkipVerify: true` disables certificate verification",
        );
    }
}

fn js(node: Node<'_>, cx: &mut Cx<'_>) {
    if node.kind_name() == "pair" {
        let (Some(k), Some(v)) = (node.field("key"), node.field("value")) else {
            return;
        };
        let key = unquote(cx.text(k));
        let val = cx.text(v);
        if (key == "rejectUnauthorized" || key == "strictSSL") && val == "false" {
            cx.hit(
                &META,
                node,
                key.to_string(),
                format!("`{key}: false` disables certificate verification"),
            );
        }
        return;
    }
    let (Some(l), Some(r)) = (node.field("left"), node.field("right")) else {
        return;
    };
    if cx.text(l).ends_with("NODE_TLS_REJECT_UNAUTHORIZED") && unquote(cx.text(r)) == "0" {
        cx.hit(&META, node, "NODE_TLS_REJECT_UNAUTHORIZED", "`NODE_TLS_REJECT_UNAUTHORIZED = '0'` disables certificate verification for the whole process");
    }
}

fn java(node: Node<'_>, cx: &mut Cx<'_>) {
    match node.kind_name() {
        "lambda_expression" => {
            // (hostname, session) -> true
            let params = node.field("parameters").map(|p| cx.text(p)).unwrap_or("");
            let body = node.field("body").map(|b| cx.text(b).trim()).unwrap_or("");
            if params.contains(',')
                && (body == "true" || body == "{ return true; }")
                && params.to_ascii_lowercase().contains("host")
            {
                cx.hit(
                    &META,
                    node,
                    "HostnameVerifier",
                    "hostname verifier that accepts every host",
                );
            }
        }
        "method_declaration" => {
            let name = node.field("name").map(|n| cx.text(n)).unwrap_or("");
            let Some(body) = node.field("body") else {
                return;
            };
            let empty = body.named_child_count() == 0;
            if name == "checkServerTrusted" && empty {
                cx.hit(
                    &META,
                    node,
                    "X509TrustManager",
                    "trust manager that accepts every certificate (empty `checkServerTrusted`)",
                );
            } else if name == "verify" && cx.text(node).contains("SSLSession") {
                let returns_true = descendants(body).any(|d| {
                    d.kind_name() == "return_statement"
                        && cx.text(d).replace(' ', "") == "returntrue;"
                });
                if returns_true && body.named_child_count() == 1 {
                    cx.hit(
                        &META,
                        node,
                        "HostnameVerifier",
                        "hostname verifier that accepts every host",
                    );
                }
            }
        }
        "object_creation_expression" => {
            let t = node.field("type").map(|t| cx.text(t)).unwrap_or("");
            if matches!(
                t,
                "NoopHostnameVerifier" | "TrustAllStrategy" | "AllowAllHostnameVerifier"
            ) {
                cx.hit(
                    &META,
                    node,
                    t.to_string(),
                    format!("`new {t}()` disables certificate or hostname verification"),
                );
            }
        }
        "method_invocation" => {
            let t = syntax::callee_text(node, cx.src);
            if t.ends_with("NoopHostnameVerifier.INSTANCE")
                || t.contains("ALLOW_ALL_HOSTNAME_VERIFIER")
            {
                cx.hit(
                    &META,
                    node,
                    "hostname verifier",
                    "hostname verification disabled",
                );
            }
        }
        _ => {}
    }
}
