//! `secret-logged`: a credential (password, token, API key, authorization header) or card
//! data written to logs.

use pagerproof_core::{Confidence, Severity};
use tree_sitter::Node;

use crate::case;
use crate::lang::Family;
use crate::lang::NodeExt;
use crate::lang::syntax;
use crate::rule::{CodeRule, Cx, Docs, Handling, RuleMeta};
use crate::rules::log_context::{log_call, logged_values};
use crate::rules::log_sensitive::{Kind, classify_name, value_name};

pub static META: RuleMeta = RuleMeta {
    id: "secret-logged",
    category: "LOG-SENSITIVE",
    severity: Severity::P0,
    confidence: Confidence::High,
    preview: false,
    languages: &["python", "go", "javascript", "typescript", "java"],
    summary: "Credential or card data written to logs",
    docs: Docs {
        what: "A logging call (any level, `print`/`console.log`/`fmt.Print*` included) that writes a value whose name \
says it is a credential or card data: a variable, attribute, getter or key named `password`, `secret`, `token` \
(not page/next/CSRF tokens), `api_key`, `authorization`, `credentials`, `private_key`, `client_secret`, \
`card_number`, `credit_card`, `cvv`, including `headers[\"Authorization\"]`/`r.Header.Get(\"Authorization\")`, \
f-string and template interpolations, `%`/`+`/`format` arguments, structured fields (`password=pw`, \
`{ token }`, `zap.String(\"token\", t)`, `\"token\", t`). Not reported: names that describe the value rather than \
hold it (`token_type`, `password_length`, `secret_name`, `api_key_id`), literals, and values passed through a \
length, mask, hash or redaction function.",
        scenario: "Logs are shipped to a log platform, a support engineer exports them, a vendor gets access, or the \
log bucket is misconfigured.",
        impact: "Everyone with log access holds working credentials (account takeover, API abuse billed to you) or \
card data (a PCI DSS breach that must be reported). Logs are retained and replicated far longer and wider than \
secrets should be.",
        detection: "Secret scanners over log storage; a credential that shows up in a log export or a support ticket.",
        mitigation: "Never log the value: log whether it was present, a short prefix of a token's hash, or the last \
four card digits; configure the logger's redaction for the field names as a safety net; rotate anything already \
logged.",
        fixes: &[
            (
                "python",
                "log.info(\"login attempt\", extra={\"user_id\": user.id, \"has_password\": bool(password)})",
            ),
            (
                "go",
                "log.Printf(\"calling provider (key ending %s)\", last4(apiKey))",
            ),
            (
                "javascript",
                "const logger = pino({ redact: ['req.headers.authorization', '*.password', '*.token'] });\nlogger.info({ userId }, 'login attempt');",
            ),
            (
                "typescript",
                "const logger = pino({ redact: ['req.headers.authorization', '*.password', '*.token'] });\nlogger.info({ userId }, 'login attempt');",
            ),
            (
                "java",
                "log.info(\"charging card ending {}\", card.getNumber().substring(card.getNumber().length() - 4));",
            ),
        ],
        monitoring: "Run a secret scanner over log storage on a schedule and alert on any hit; track log fields \
against a deny-list at ingestion.",
    },
    outside_production: Handling::Drop,
    cases: &[
        case!(
            "app/auth.py",
            r#"import logging
log = logging.getLogger(__name__)

def login(request, username, password):
    log.info("login %s with %s", username, password)
                                           ^ `password`
    log.debug(f"auth header: {request.headers['Authorization']}")
                              ^ `Authorization`
    log.info("token type %s, length %d", token_type, len(password))
    log.info("login", extra={"api_key": request.api_key})
                                        ^ `api_key`
    print("next page", next_token)
"#
        ),
        case!(
            "internal/auth/auth.go",
            r#"package auth

import (
	"log"
	"net/http"
)

func handle(r *http.Request, cfg Config) {
	log.Printf("auth: %s", r.Header.Get("Authorization"))
	                       ^ `Authorization`
	log.Printf("using key %s", cfg.APIKey)
	                           ^ `APIKey`
	log.Printf("secret is set: %v", cfg.Secret != "")
}
"#
        ),
        case!(
            "src/pay.js",
            r#"function charge(card, logger) {
  logger.info({ cardNumber: card.number }, 'charging');
                            ^ `cardNumber`
  console.log(`charging ${card.cardNumber}`);
                          ^ `cardNumber`
  logger.info({ last4: card.number.slice(-4) }, 'charging');
}
"#
        ),
        case!(
            "src/main/java/shop/Login.java",
            r#"package shop;

class Login {
    void login(User u) {
        log.info("login {} {}", u.getName(), u.getPassword());
                                             ^ `Password`
        log.info("password changed for {}", u.getId());
    }
}
"#
        ),
        case!(
            "app/ok.py",
            "import logging\nlog = logging.getLogger(__name__)\nlog.info(\"secret %s loaded\", secret_name)\n"
        ),
        case!(
            "internal/ok/ok.go",
            "package ok\n\nimport \"log\"\n\nfunc f(tokenCount int) {\n\tlog.Printf(\"used %d tokens\", tokenCount)\n}\n"
        ),
        case!(
            "src/ok.ts",
            "export function f(logger: any, password: string) {\n  logger.info({ hasPassword: Boolean(password) }, 'login');\n}\n"
        ),
        case!(
            "internal/notify/notify.go",
            "package notify\n\nimport \"log\"\n\nfunc f(tpls Tpls, err error) {\n\tlog.Printf(\"error compiling template '%s': %v\", tpls.TplForgotPassword, err)\n\tlog.Printf(\"route %s\", ResetPassword)\n}\n"
        ),
        case!(
            "src/main/java/shop/Ok.java",
            "package shop;\nclass Ok {\n    void f(String tokenType) { log.info(\"token type {}\", tokenType); }\n}\n"
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
        syntax::call_kinds(f)
    }

    fn check(&self, call: Node<'_>, cx: &mut Cx<'_>) {
        if call.kind_name() == "new_expression" || call.kind_name() == "object_creation_expression"
        {
            return;
        }
        let Some(lc) = log_call(call, cx) else { return };
        if !crate::rules::log_sensitive::judged(&lc, cx) {
            return;
        }
        for (key, v) in logged_values(call, cx) {
            let Some((name, kind)) = sensitive(key.as_deref(), v, cx) else {
                continue;
            };
            if kind == Kind::Personal {
                continue;
            }
            let what = if kind == Kind::Card {
                "card data: logging it puts the logs in PCI scope and is a reportable breach"
            } else {
                "a credential: anyone with log access can use it"
            };
            cx.hit(
                &META,
                v,
                name.clone(),
                format!("`{}` writes `{name}` to the logs, {what}", lc.name),
            );
            return;
        }
    }
}

/// The sensitive name of a logged value and its kind: by the key it is logged under
/// (when the value is a reference, not a literal or a masked form), or by its own name.
pub fn sensitive(key: Option<&str>, v: Node<'_>, cx: &Cx<'_>) -> Option<(String, Kind)> {
    let own = value_name(v, cx);
    let is_ref = own.is_some()
        || matches!(
            v.kind_name(),
            "identifier"
                | "attribute"
                | "member_expression"
                | "selector_expression"
                | "field_access"
        );
    if let Some(k) = key
        && is_ref
        && let Some(kind) = classify_name(k)
    {
        // `{ last4: card.number.slice(-4) }` is not a reference; `{ token: t }` is.
        return Some((k.to_string(), kind));
    }
    let name = own?;
    classify_name(&name).map(|k| (name, k))
}
