//! `signature-compared-non-constant-time`: an HMAC signature compared with `==`,
//! `equals`, `bytes.Equal` or `Arrays.equals` instead of a constant-time comparison.

use pagerproof_core::{Confidence, Severity};
use tree_sitter::Node;

use crate::case;
use crate::lang::Family;
use crate::lang::NodeExt;
use crate::lang::syntax::{self, descendants, positional_args};
use crate::rule::{CodeRule, Cx, Docs, Handling, RuleMeta};

pub static META: RuleMeta = RuleMeta {
    id: "signature-compared-non-constant-time",
    category: "WEBHOOK-SIG",
    severity: Severity::P1,
    confidence: Confidence::High,
    preview: false,
    languages: &["python", "go", "javascript", "typescript", "java"],
    summary: "HMAC signature compared in non-constant time",
    docs: Docs {
        what: "A comparison of an HMAC value — computed in the expression (`hmac.new(...).hexdigest()`, \
`crypto.createHmac(...).digest('hex')`, `mac.Sum(nil)`, `mac.doFinal(...)`, `HmacUtils...`) or held in a variable \
assigned from one — with `==`/`!=`/`===`, Go `bytes.Equal`/`strings.EqualFold`, Java `.equals`/`Arrays.equals`. \
The constant-time functions (`hmac.compare_digest`, `crypto.timingSafeEqual`, `hmac.Equal`/\
`subtle.ConstantTimeCompare`, `MessageDigest.isEqual`) are what the comparison should use. Plain hashes \
(checksums) are not reported.",
        scenario: "An attacker sends many requests with guessed signatures and measures response times.",
        impact: "Ordinary comparisons stop at the first differing byte, so the response time leaks how many \
leading bytes are right; with enough samples the attacker recovers a valid signature byte by byte and forges \
webhooks or tokens.",
        detection: "Hard to see: high volumes of requests with failing signatures from one source.",
        mitigation: "Compare signatures with the language's constant-time function, on equal-length values.",
        fixes: &[
            (
                "python",
                "expected = hmac.new(secret, body, hashlib.sha256).hexdigest()\nif not hmac.compare_digest(expected, received):\n    abort(401)",
            ),
            (
                "go",
                "if !hmac.Equal(mac.Sum(nil), received) {\n    http.Error(w, \"bad signature\", http.StatusUnauthorized)\n    return\n}",
            ),
            (
                "javascript",
                "const expected = crypto.createHmac('sha256', secret).update(body).digest();\nconst ok = received.length === expected.length && crypto.timingSafeEqual(received, expected);",
            ),
            (
                "typescript",
                "const ok = received.length === expected.length && crypto.timingSafeEqual(received, expected);",
            ),
            (
                "java",
                "if (!MessageDigest.isEqual(expected, received)) { throw new SecurityException(\"bad signature\"); }",
            ),
        ],
        monitoring: "Count signature failures per client; alert on sustained failure rates from one source.",
    },
    outside_production: Handling::Lower,
    cases: &[
        case!(
            "app/hooks.py",
            r#"import hashlib
import hmac

def check(body, secret, header):
    expected = hmac.new(secret, body, hashlib.sha256).hexdigest()
    if expected != header:
       ^ HMAC value compared with `!=`
        raise PermissionError()
    if hmac.new(secret, body, hashlib.sha256).hexdigest() == header:
       ^ HMAC value compared with `==`
        return True
    return hmac.compare_digest(expected, header)

def checksum(data, want):
    return hashlib.sha256(data).hexdigest() == want
"#
        ),
        case!(
            "app/ok.py",
            r#"import hashlib, hmac
def check(body, secret, header):
    expected = hmac.new(secret, body, hashlib.sha256).hexdigest()
    if len(expected) != len(header):
        return False
    return hmac.compare_digest(expected, header)
"#
        ),
        case!(
            "internal/hook/ok.go",
            r#"package hook

import (
	"crypto/hmac"
	"crypto/sha256"
)

func Good(body, secret, sig []byte) bool {
	mac := hmac.New(sha256.New, secret)
	mac.Write(body)
	if len(sig) == 0 {
		return false
	}
	return hmac.Equal(mac.Sum(nil), sig)
}
"#
        ),
        case!(
            "src/ok.ts",
            r#"import crypto from 'crypto';
export function good(body: Buffer, secret: string, header: string): boolean {
  const a = crypto.createHmac('sha256', secret).update(body).digest();
  const b = Buffer.from(header, 'hex');
  return a.length === b.length && crypto.timingSafeEqual(a, b);
}
"#
        ),
        case!(
            "src/main/java/com/acme/Ok.java",
            r#"package com.acme;
import javax.crypto.Mac;
import java.security.MessageDigest;
class Ok {
    boolean check(byte[] body, byte[] header) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        return MessageDigest.isEqual(mac.doFinal(body), header);
    }
}
"#
        ),
        case!(
            "internal/hook/verify.go",
            r#"package hook

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
)

func Valid(body []byte, secret []byte, sig string) bool {
	mac := hmac.New(sha256.New, secret)
	mac.Write(body)
	expected := hex.EncodeToString(mac.Sum(nil))
	if expected == sig {
	   ^ HMAC value compared with `==`
		return true
	}
	return bytes.Equal(mac.Sum(nil), []byte(sig))
	       ^ `bytes.Equal`
}

func Good(body, secret, sig []byte) bool {
	mac := hmac.New(sha256.New, secret)
	mac.Write(body)
	return hmac.Equal(mac.Sum(nil), sig)
}
"#
        ),
        case!(
            "src/verify.js",
            r#"const crypto = require('crypto');
function verify(req, secret) {
  const digest = crypto.createHmac('sha256', secret).update(req.rawBody).digest('hex');
  return digest === req.headers['x-signature'];
         ^ HMAC value compared with `===`
}
module.exports = { verify };
"#
        ),
        case!(
            "src/main/java/com/acme/Sig.java",
            r#"package com.acme;

import javax.crypto.Mac;
import java.security.MessageDigest;
import java.util.Arrays;

class Sig {
    boolean check(byte[] body, byte[] key, String header) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        byte[] expected = mac.doFinal(body);
        if (header != null && Arrays.equals(expected, header.getBytes())) { return true; }
                              ^ `Arrays.equals`
        return MessageDigest.isEqual(expected, header.getBytes());
    }
}
"#
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
            Family::Python => &["comparison_operator"],
            Family::Go => &["binary_expression", "call_expression"],
            Family::Js => &["binary_expression"],
            Family::Java => &["method_invocation", "binary_expression"],
        }
    }

    fn check(&self, node: Node<'_>, cx: &mut Cx<'_>) {
        // Imports are computed once per file: a cheap gate before any text search.
        let uses_hmac = cx.file_flag("hmac", || match cx.family() {
            Family::Python => cx.imports().has_module("hmac"),
            Family::Go => cx.imports().has_module("crypto/hmac"),
            Family::Js => cx.imports().has_module("crypto"),
            Family::Java => {
                cx.imports().has_module("javax.crypto")
                    || cx.imports().any_module_contains("HmacUtils")
            }
        });
        if !uses_hmac {
            return;
        }
        let (a, b, how) = match (cx.family(), node.kind_name()) {
            (Family::Python, "comparison_operator") => {
                let ops: Vec<&str> = {
                    let mut c = node.walk();
                    node.children(&mut c)
                        .filter(|ch| !ch.is_named())
                        .map(|ch| cx.text(ch))
                        .collect()
                };
                if ops.len() != 1 || !matches!(ops[0], "==" | "!=") {
                    return;
                }
                (node.named_child(0), node.named_child(1), ops[0].to_string())
            }
            (_, "binary_expression") => {
                let op = node.field("operator").map(|o| cx.text(o)).unwrap_or("");
                if !matches!(op, "==" | "!=" | "===" | "!==") {
                    return;
                }
                (node.field("left"), node.field("right"), op.to_string())
            }
            (Family::Go, "call_expression") => {
                let (_, r) = cx.callee(node);
                if !matches!(
                    r.as_str(),
                    "bytes.Equal" | "strings.EqualFold" | "reflect.DeepEqual"
                ) {
                    return;
                }
                let args = positional_args(node);
                (
                    args.first().copied(),
                    args.get(1).copied(),
                    format!("`{}`", r),
                )
            }
            (Family::Java, "method_invocation") => {
                let w = syntax::callee_text(node, cx.src);
                let args = positional_args(node);
                if w == "Arrays.equals" {
                    (
                        args.first().copied(),
                        args.get(1).copied(),
                        "`Arrays.equals`".to_string(),
                    )
                } else if syntax::last_segment(&w) == "equals"
                    || syntax::last_segment(&w) == "equalsIgnoreCase"
                {
                    (
                        node.field("object"),
                        args.first().copied(),
                        "`.equals`".to_string(),
                    )
                } else {
                    return;
                }
            }
            _ => return,
        };
        let (Some(a), Some(b)) = (a, b) else { return };
        if is_literal(a, cx) || is_literal(b, cx) || is_length(a, cx) || is_length(b, cx) {
            return;
        }
        if !(hmac_derived(a, cx, 0) || hmac_derived(b, cx, 0)) {
            return;
        }
        let how = if how.starts_with('`') {
            how
        } else {
            format!("`{how}`")
        };
        cx.hit(
            &META,
            node,
            "hmac-compare",
            format!("HMAC value compared with {how}: the comparison time leaks how many leading bytes match, letting an attacker forge a signature byte by byte (use a constant-time comparison)"),
        );
    }
}

fn is_literal(n: Node<'_>, cx: &Cx<'_>) -> bool {
    syntax::string_value(n, cx.src).is_some()
        || matches!(
            n.kind_name(),
            "none"
                | "nil"
                | "null"
                | "null_literal"
                | "undefined"
                | "integer"
                | "number"
                | "true"
                | "false"
        )
}

/// A length or size (`a.length`, `len(a)`, `a.size()`): comparing lengths is fine.
fn is_length(n: Node<'_>, cx: &Cx<'_>) -> bool {
    let t = cx.text(n).trim();
    t.ends_with(".length")
        || t.starts_with("len(")
        || t.ends_with(".size()")
        || t.ends_with(".length()")
        || t.ends_with(".byteLength")
}

/// Whether an expression is (or holds) an HMAC value.
fn hmac_derived(n: Node<'_>, cx: &Cx<'_>, depth: u8) -> bool {
    let t = cx.text(n).to_ascii_lowercase();
    if t.contains("hmac") && !t.contains("compare_digest") && !t.contains("timingsafeequal") {
        return true;
    }
    if depth >= 2 {
        return false;
    }
    descendants(n)
        .filter(|d| matches!(d.kind_name(), "identifier" | "field_identifier"))
        .any(|id| {
            cx.bindings().nodes(cx.root, cx.text(id)).iter().any(|v| {
                let vt = cx.text(*v).to_ascii_lowercase();
                vt.contains("mac.getinstance") || hmac_derived(*v, cx, depth + 1)
            })
        })
}
