//! `personal-data-logged`: personal data (email address, phone number, national id, date
//! of birth) written to logs.

use pagerproof_core::{Confidence, Severity};
use tree_sitter::Node;

use crate::case;
use crate::lang::Family;
use crate::lang::NodeExt;
use crate::lang::syntax;
use crate::rule::{CodeRule, Cx, Docs, Handling, RuleMeta};
use crate::rules::log_context::{log_call, logged_values};
use crate::rules::log_sensitive::Kind;
use crate::rules::log_sensitive::secret::sensitive;

pub static META: RuleMeta = RuleMeta {
    id: "personal-data-logged",
    category: "LOG-SENSITIVE",
    // P2, not the category's P0: an email address in a log is a privacy and compliance
    // problem (retention, erasure requests, access), not a credential anyone can use.
    severity: Severity::P2,
    confidence: Confidence::Medium,
    preview: false,
    languages: &["python", "go", "javascript", "typescript", "java"],
    summary: "Personal data (email, phone, national id) written to logs",
    docs: Docs {
        what: "A logging call that writes a value named as personal data: `email`, `email_address`, `phone`, \
`phone_number`, `mobile_number`, `ssn`/`social_security_number`, `dob`/`date_of_birth`, `passport`, \
`national_id`, as a variable, attribute, getter (`getEmail()`), key or interpolation. Names that describe rather \
than hold the value (`email_sent`, `email_template`, `phone_verified`) and masked or hashed values are not \
reported.",
        scenario: "A user asks for their data to be erased, a regulator asks where personal data is stored, or the \
logs are shared with a vendor or leaked.",
        impact: "Personal data ends up in every log index, backup and export, with retention and access rules made \
for debugging, not for personal data: erasure requests cannot be honoured and a log leak becomes a personal-data \
breach.",
        detection: "Data-protection reviews and scanners over log storage finding email addresses or phone numbers.",
        mitigation: "Log a stable user id instead; if the address itself is needed for support, mask it \
(`j***@example.com`) or log it to a store with matching retention and access controls.",
        fixes: &[
            (
                "python",
                "log.info(\"order confirmation sent\", extra={\"user_id\": request.user_id})",
            ),
            (
                "go",
                "log.Infof(\"order confirmation sent (order %s)\", orderID)",
            ),
            (
                "javascript",
                "logger.info({ userId: user.id }, 'confirmation sent');",
            ),
            (
                "typescript",
                "logger.info({ userId: user.id }, 'confirmation sent');",
            ),
            (
                "java",
                "log.info(\"confirmation sent to user {}\", user.getId());",
            ),
        ],
        monitoring: "Scan log storage periodically for email and phone patterns and alert on new sources.",
    },
    outside_production: Handling::Drop,
    cases: &[
        case!(
            "app/email_server.py",
            r#"import logging
logger = logging.getLogger(__name__)

class EmailService:
    def SendOrderConfirmation(self, request, context):
        logger.info('sending confirmation to {}'.format(request.email))
                                                        ^ `email`
        logger.info("email_sent=%s", email_sent)
"#
        ),
        case!(
            "internal/checkout/checkout.go",
            r#"package checkout

func (cs *service) PlaceOrder(req *Request) {
	log.Infof("order confirmation email sent to %q", req.Email)
	                                                 ^ `Email`
	log.Infof("order %s placed", req.OrderID)
}
"#
        ),
        case!(
            "src/signup.ts",
            r#"export function signup(user: User) {
  logger.info({ phoneNumber: user.phone }, 'signup');
                             ^ `phoneNumber`
  logger.info({ userId: user.id }, 'signup');
}
"#
        ),
        case!(
            "src/main/java/shop/Users.java",
            r#"package shop;

class Users {
    void welcome(User u) {
        log.info("welcome {}", u.getEmail());
                               ^ `Email`
    }
}
"#
        ),
        case!(
            "app/ok.py",
            "import logging\nlog = logging.getLogger(__name__)\nlog.info(\"user %s\", user.id)\n"
        ),
        case!(
            "internal/ok/ok.go",
            "package ok\n\nfunc f(u User) {\n\tlog.Printf(\"user %s verified=%v\", u.ID, u.EmailVerified)\n}\n"
        ),
        case!(
            "src/ok.js",
            "logger.info({ emailTemplate: tpl }, 'rendering');\n"
        ),
        case!(
            "src/main/java/shop/Ok.java",
            "package shop;\nclass Ok {\n    void f(User u) { log.info(\"user {}\", u.getId()); }\n}\n"
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
            if kind != Kind::Personal {
                continue;
            }
            cx.hit(
                &META,
                v,
                name.clone(),
                format!(
                    "`{}` writes `{name}` (personal data) to the logs: log a user id instead",
                    lc.name
                ),
            );
            return;
        }
    }
}
