//! LOG-SENSITIVE: credentials, card data, personal data and whole requests written to
//! logs. A logged value is classified by the name it is logged under or carries (its
//! variable, attribute or key name), never by guessing at string contents.

pub mod personal;
pub mod request;
pub mod secret;

use tree_sitter::Node;

use crate::lang::Family;
use crate::lang::NodeExt;
use crate::lang::syntax::{self, positional_args, string_value};
use crate::rule::Cx;
use crate::rules::config::words;

/// What kind of sensitive value a name stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Credential,
    Card,
    Personal,
}

const NOT_VALUE: &[&str] = &[
    "name",
    "id",
    "ids",
    "type",
    "count",
    "url",
    "uri",
    "expires",
    "expiry",
    "expiration",
    "ttl",
    "length",
    "len",
    "size",
    "field",
    "header",
    "prefix",
    "suffix",
    "hint",
    "policy",
    "format",
    "required",
    "enabled",
    "valid",
    "invalid",
    "set",
    "present",
    "missing",
    "path",
    "file",
    "key",
    "label",
    "template",
    "sent",
    "verified",
    "confirmed",
    "status",
    "domain",
    "provider",
    "hash",
    "hashed",
    "digest",
    "mask",
    "masked",
    "last4",
    "brand",
    "exp",
    "month",
    "year",
    "changed",
    "reset",
    "strength",
    "policy",
    "rule",
    "rules",
    "version",
    "endpoint",
    "scope",
    "scopes",
    "issuer",
    "audience",
    "kind",
    "index",
    "idx",
    "at",
    "time",
    "date",
    "timestamp",
];

/// Classifies a name (variable, attribute, key, header name).
pub fn classify_name(name: &str) -> Option<Kind> {
    let w = words(name);
    let last = w.last()?.as_str();
    let pair = |a: &str, b: &str| w.windows(2).any(|p| p[0] == a && p[1] == b);
    let has = |x: &str| w.iter().any(|y| y == x);
    // Card data first: `card_number`, `creditCard`, `cvv`.
    if matches!(last, "cvv" | "cvc" | "cvv2" | "creditcard" | "cardnumber")
        || pair("card", "number")
        || pair("card", "num")
        || (pair("credit", "card") && !NOT_VALUE.contains(&last))
    {
        return Some(Kind::Card);
    }
    let key_pair = pair("api", "key")
        || pair("private", "key")
        || pair("secret", "key")
        || pair("access", "key")
        || pair("signing", "key")
        || pair("encryption", "key");
    if last == "key" {
        return key_pair.then_some(Kind::Credential);
    }
    if NOT_VALUE.contains(&last) {
        return None;
    }
    // A password *flow* names an action, a page or a template, not the value:
    // `ForgotPassword`, `reset_password`, `changePassword`, `TplForgotPassword`.
    let before_last = w
        .len()
        .checked_sub(2)
        .and_then(|i| w.get(i))
        .map(String::as_str);
    if matches!(last, "password" | "passwd")
        && (matches!(before_last, Some("forgot" | "reset" | "change" | "lost"))
            || has("tpl")
            || has("template"))
    {
        return None;
    }
    let pagination = [
        "page",
        "next",
        "continuation",
        "pagination",
        "cursor",
        "sync",
        "csrf",
        "xsrf",
    ];
    if (last == "token" && !w.iter().any(|x| pagination.contains(&x.as_str())))
        || matches!(
            last,
            "password"
                | "passwd"
                | "secret"
                | "apikey"
                | "authorization"
                | "credentials"
                | "passphrase"
                | "bearer"
        )
        || pair("api", "key")
        || pair("private", "key")
        || pair("secret", "key")
        || pair("access", "key")
        || pair("signing", "key")
        || pair("client", "secret")
        || (has("auth") && last == "header")
    {
        return Some(Kind::Credential);
    }
    if matches!(
        last,
        "email" | "phone" | "ssn" | "dob" | "birthdate" | "msisdn" | "passport"
    ) || pair("email", "address")
        || pair("phone", "number")
        || pair("mobile", "number")
        || pair("security", "number")
        || pair("birth", "date")
        || pair("of", "birth")
        || pair("national", "id")
    {
        return Some(Kind::Personal);
    }
    None
}

/// Calls whose result no longer carries the value (`len(token)`, `mask(card)`).
fn masks(w: &str) -> bool {
    let l = w.to_ascii_lowercase();
    [
        "len", "length", "mask", "redact", "hash", "sha", "md5", "bool", "truncate", "obfusc",
        "censor", "anonym", "scrub", "isnull", "isempty", "is_empty", "isblank", "strlen", "count",
        "type", "hmac", "encrypt", "last4", "suffix", "prefix",
    ]
    .iter()
    .any(|k| l.contains(k))
}

/// Whether a logging call may be judged at all: not in browser code, and a `print` in a
/// command-line tool is its output, not a log.
pub fn judged(lc: &crate::rules::log_context::LogCall, cx: &Cx<'_>) -> bool {
    if cx.family() == Family::Js && crate::rules::timeout::js_is_browser_file(cx) {
        return false;
    }
    if lc.level == crate::rules::log_context::Level::Print {
        let (_, _, cli) = crate::rules::log_context::print_logging::classify(cx);
        let script_doc = cx.src.trim_start().starts_with("\"\"\"Script")
            || cx.src.trim_start().starts_with("#!");
        if cli || script_doc {
            return false;
        }
    }
    true
}

/// A constant's name (`IdentifyConstants.ACCESS_KEY`, `API_KEY_HEADER`): it names a
/// setting, it does not hold its value.
fn is_constant_name(n: &str) -> bool {
    n.len() > 1
        && n.chars().any(|c| c.is_ascii_uppercase())
        && n.chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
}

/// Objects whose `.token` is a public identifier (Saleor checkouts, orders, transactions).
fn entity_token(v: Node<'_>, cx: &Cx<'_>) -> bool {
    let obj = v
        .field("object")
        .or_else(|| v.field("operand"))
        .map(|o| cx.text(o).to_ascii_lowercase())
        .unwrap_or_default();
    let last = obj.rsplit('.').next().unwrap_or(&obj);
    [
        "checkout",
        "order",
        "transaction",
        "item",
        "cart",
        "invoice",
        "page",
        "node",
        "job",
        "task",
        "event",
        "lock",
        "line",
        "draft",
        "basket",
        "voucher",
        "gift",
    ]
    .iter()
    .any(|e| last.contains(e))
}

/// The name a logged value carries, when it is a plain reference to a value (not a
/// literal, a comparison, a length or a masked form).
pub fn value_name(v: Node<'_>, cx: &Cx<'_>) -> Option<String> {
    let name = value_name_raw(v, cx)?;
    if is_constant_name(&name) {
        return None;
    }
    if words(&name).last().is_some_and(|w| w == "token") && entity_token(v, cx) {
        return None;
    }
    Some(name)
}

fn value_name_raw(v: Node<'_>, cx: &Cx<'_>) -> Option<String> {
    match v.kind_name() {
        "identifier" | "shorthand_property_identifier" | "field_identifier" => {
            Some(cx.text(v).to_string())
        }
        "attribute" => v.field("attribute").map(|a| cx.text(a).to_string()),
        "member_expression" => {
            let p = v.field("property").map(|a| cx.text(a))?;
            if matches!(p, "length" | "size") {
                return None;
            }
            Some(p.to_string())
        }
        "selector_expression" => v.field("field").map(|a| cx.text(a).to_string()),
        "field_access" => v.field("field").map(|a| cx.text(a).to_string()),
        "subscript" | "subscript_expression" | "index_expression" => {
            // headers["Authorization"]; slices (`token[:4]`) are not the value.
            let idx = v
                .field("subscript")
                .or_else(|| v.field("index"))
                .or_else(|| v.named_child(1))?;
            string_value(idx, cx.src).map(str::to_string)
        }
        "call" | "call_expression" | "method_invocation" => {
            let (w, _) = cx.callee(v);
            if masks(&w) {
                return None;
            }
            let last = syntax::last_segment(&w);
            // headers.get("Authorization"), r.Header.Get("Authorization"), getHeader("Authorization")
            if matches!(
                last,
                "get" | "Get" | "getHeader" | "header" | "getenv" | "Getenv" | "getParameter"
            ) {
                let a = *positional_args(v).first()?;
                return string_value(a, cx.src).map(str::to_string);
            }
            // getPassword(), user.getEmail()
            if let Some(rest) = last.strip_prefix("get")
                && rest.chars().next().is_some_and(|c| c.is_ascii_uppercase())
                && positional_args(v).is_empty()
            {
                return Some(rest.to_string());
            }
            None
        }
        _ => None,
    }
}

/// Handler and file names that say the request carries credentials, payment or
/// personal data.
pub fn sensitive_context(name: &str) -> bool {
    let l = name.to_ascii_lowercase();
    [
        "charge",
        "pay",
        "card",
        "auth",
        "login",
        "signin",
        "signup",
        "register",
        "password",
        "token",
        "credential",
        "checkout",
        "order",
        "account",
        "user",
        "email",
        "customer",
        "billing",
        "profile",
        "session",
    ]
    .iter()
    .any(|k| l.contains(k))
}

/// The name of the function (or method) enclosing `n`, and of the one around it.
pub fn enclosing_names(n: Node<'_>, cx: &Cx<'_>) -> Vec<String> {
    let f = cx.family();
    let mut out = Vec::new();
    let mut cur = syntax::enclosing_function(n, f);
    while let Some(func) = cur {
        if let Some(nm) = func.field("name") {
            out.push(cx.text(nm).to_string());
        } else if let Some(p) = func.parent() {
            // const chargeHandler = (call, cb) => ...
            if p.kind_name() == "variable_declarator"
                && let Some(nm) = p.field("name")
            {
                out.push(cx.text(nm).to_string());
            }
        }
        cur = syntax::enclosing_function(func, f);
    }
    let _ = Family::Go;
    out
}
