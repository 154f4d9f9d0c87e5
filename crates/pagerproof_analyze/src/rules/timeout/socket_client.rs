//! `socket-client-without-timeout`: a mail, FTP or raw TCP client that can wait forever.

use pagerproof_core::{Confidence, Severity};
use tree_sitter::Node;

use crate::lang::Family;
use crate::lang::NodeExt;
use crate::lang::syntax::{has_kwargs_splat, kwarg, positional_args};
use crate::rule::{Case, CodeRule, Cx, Docs, Handling, RuleMeta};

pub static META: RuleMeta = RuleMeta {
    id: "socket-client-without-timeout",
    category: "TIMEOUT",
    severity: Severity::P1,
    confidence: Confidence::High,
    preview: false,
    languages: &["python", "go", "java"],
    summary: "Mail, FTP or TCP client with no timeout",
    docs: Docs {
        what: "A client of a socket protocol that blocks without a bound: Python `smtplib.SMTP`/`SMTP_SSL`/`LMTP`, \
`ftplib.FTP`/`FTP_TLS`, `imaplib.IMAP4`/`IMAP4_SSL`, `poplib.POP3`/`POP3_SSL` and `socket.create_connection` \
without a timeout (keyword or positional) in a file that does not call `socket.setdefaulttimeout`; Go \
`net/smtp.SendMail` and `smtp.Dial` (the package has no timeout at all), and `net.Dial` in a file that sets no \
deadline on its connections; Java `new Socket(host, port)` (it connects with no timeout) in a file that never calls \
`setSoTimeout`. These libraries default to no timeout: the standard library waits for the operating system, \
which for a server that accepted the connection and went silent is forever. HTTP, database and gRPC clients have \
their own rules.",
        scenario: "The mail relay, FTP server or TCP peer accepts the connection and then stops answering (overloaded, \
half-open connection after a network change, a firewall dropping packets).",
        impact: "Every request or job that sends mail or talks to the peer hangs with a worker held; a password-reset \
or order-confirmation path stalls the whole service while the relay is down.",
        detection: "Requests or jobs stuck in `smtplib`/`net/smtp`/`Socket.read` frames, growing in-flight counts while \
CPU is idle, mail-queue age rising.",
        mitigation: "Pass a timeout to every client constructor (or dial with a deadline and set one on the \
connection), and send mail from a queue worker rather than the request path.",
        fixes: &[
            (
                "python",
                "with smtplib.SMTP(host, 587, timeout=10) as smtp:\n    smtp.send_message(msg)",
            ),
            (
                "go",
                "conn, err := net.DialTimeout(\"tcp\", addr, 5*time.Second)\nif err != nil { return err }\n_ = conn.SetDeadline(time.Now().Add(10 * time.Second))\nc, err := smtp.NewClient(conn, host)",
            ),
            (
                "java",
                "Socket s = new Socket();\ns.connect(new InetSocketAddress(host, port), 5_000);\ns.setSoTimeout(10_000);",
            ),
        ],
        monitoring: "Latency and error rate of outbound mail/TCP calls, and the age of the oldest queued message.",
    },
    outside_production: Handling::Drop,
    cases: CASES,
};

pub struct Rule;
pub static RULE: Rule = Rule;

impl CodeRule for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }
    fn kinds(&self, f: Family) -> &'static [&'static str] {
        match f {
            Family::Python | Family::Go => &["call", "call_expression"],
            Family::Java => &["object_creation_expression"],
            Family::Js => &[],
        }
    }
    fn check(&self, node: Node<'_>, cx: &mut Cx<'_>) {
        match cx.family() {
            Family::Python => python(node, cx),
            Family::Go => go(node, cx),
            Family::Java => java(node, cx),
            Family::Js => {}
        }
    }
}

/// Python constructors, with the position of their `timeout` parameter.
const PY_CLIENTS: &[(&str, usize)] = &[
    ("smtplib.SMTP", 3),
    ("smtplib.SMTP_SSL", 3),
    ("smtplib.LMTP", 3),
    ("ftplib.FTP", 4),
    ("ftplib.FTP_TLS", 4),
    ("imaplib.IMAP4", 2),
    ("imaplib.IMAP4_SSL", 2),
    ("poplib.POP3", 2),
    ("poplib.POP3_SSL", 2),
    ("socket.create_connection", 1),
];

fn python(call: Node<'_>, cx: &mut Cx<'_>) {
    if call.kind_name() != "call" {
        return;
    }
    let (_, resolved) = cx.callee(call);
    let Some(&(name, position)) = PY_CLIENTS.iter().find(|(n, _)| *n == resolved) else {
        return;
    };
    if has_kwargs_splat(call) || super::http_client::sets_default_socket_timeout(cx) {
        return;
    }
    let disabled = match kwarg(call, cx.src, "timeout") {
        Some(t) if cx.text(t) == "None" => true,
        Some(_) => return,
        None => false,
    };
    if !disabled && positional_args(call).len() > position {
        return;
    }
    let msg = if disabled {
        format!(
            "`{name}` is created with `timeout=None`: a server that goes silent blocks it forever"
        )
    } else {
        format!(
            "`{name}` has no timeout: a server that accepts the connection and goes silent blocks it forever"
        )
    };
    cx.hit(&META, call, name, msg);
}

fn go(call: Node<'_>, cx: &mut Cx<'_>) {
    if call.kind_name() != "call_expression" {
        return;
    }
    let (_, resolved) = cx.callee(call);
    match resolved.as_str() {
        "net/smtp.SendMail" | "net/smtp.Dial" => {
            let name = resolved.trim_start_matches("net/").to_string();
            let msg = format!(
                "`{name}` has no timeout (net/smtp dials with none and sets no deadline): a mail server that stops answering blocks the caller forever"
            );
            cx.hit(&META, call, name, msg);
        }
        "net.Dial" => {
            // TCP only (a Unix socket is a local daemon), not the dialer of an HTTP
            // transport (the client's own timeouts bound it), and not when a deadline on
            // the connection bounds it.
            let tcp = positional_args(call)
                .first()
                .is_some_and(|n| cx.text(*n).trim_matches(['"', '`']).starts_with("tcp"));
            if !tcp
                || in_transport_dialer(call, cx)
                || ["SetDeadline", "SetReadDeadline", "SetWriteDeadline"]
                    .iter()
                    .any(|d| cx.src.contains(d))
            {
                return;
            }
            cx.hit(
                &META,
                call,
                "net.Dial",
                "`net.Dial` has no timeout and its connection gets no deadline in this file: a peer that stops answering blocks reads forever",
            )
            .confidence(Confidence::Medium);
        }
        _ => {}
    }
}

/// Inside a function given as a transport's dialer (`DialContext: func(...) { ... }`).
fn in_transport_dialer(call: Node<'_>, cx: &Cx<'_>) -> bool {
    let mut cur = call;
    for _ in 0..8 {
        let Some(p) = cur.parent() else {
            return false;
        };
        if p.kind_name() == "keyed_element"
            && p.named_child(0)
                .is_some_and(|k| cx.text(k).starts_with("Dial"))
        {
            return true;
        }
        cur = p;
    }
    false
}

fn java(node: Node<'_>, cx: &mut Cx<'_>) {
    let Some(t) = node.field("type") else {
        return;
    };
    if !matches!(cx.text(t), "Socket" | "java.net.Socket") {
        return;
    }
    // `new Socket()` connects later (`connect(addr, timeout)`); with a host and a port it
    // connects now, with no timeout.
    let args = node.field("arguments").map_or(0, |a| a.named_child_count());
    if args < 2 || cx.src.contains("setSoTimeout") {
        return;
    }
    cx.hit(
        &META,
        node,
        "new Socket(host, port)",
        "`new Socket(host, port)` connects with no timeout and never gets `setSoTimeout`: a peer that stops answering blocks reads forever",
    );
}

static CASES: &[Case] = &[
    crate::case!(
        "app/mail.py",
        r#"import smtplib
from ftplib import FTP


def send(msg, host):
    with smtplib.SMTP(host, 587) as s:
         ^ `smtplib.SMTP` has no timeout
        s.send_message(msg)


def upload(host):
    ftp = FTP(host, timeout=None)
          ^ `ftplib.FTP` is created with `timeout=None`
    return ftp


def send_bounded(msg, host):
    with smtplib.SMTP(host, 587, timeout=10) as s:
        s.send_message(msg)
    with smtplib.SMTP_SSL(host, 465, None, 10) as s:
        s.send_message(msg)
"#
    ),
    crate::case!(
        "app/net.py",
        "import socket\nsocket.setdefaulttimeout(10)\n\ndef probe(host):\n    return socket.create_connection((host, 25))\n"
    ),
    crate::case!(
        "internal/notify/mail.go",
        r#"package notify

import (
	"net"
	"net/smtp"
)

func Send(addr string, from string, to []string, body []byte) error {
	return smtp.SendMail(addr, nil, from, to, body)
	       ^ `smtp.SendMail` has no timeout
}

func Probe(addr string) (net.Conn, error) {
	return net.Dial("tcp", addr)
	       ^ `net.Dial` has no timeout and its connection gets no deadline
}

func Local(path string) (net.Conn, error) {
	return net.Dial("unix", path)
}
"#
    ),
    crate::case!(
        "internal/api/client.go",
        "package api\n\nimport (\n\t\"context\"\n\t\"net\"\n\t\"net/http\"\n\t\"time\"\n)\n\nvar client = &http.Client{\n\tTimeout: 10 * time.Second,\n\tTransport: &http.Transport{\n\t\tDialContext: func(_ context.Context, _, addr string) (net.Conn, error) {\n\t\t\treturn net.Dial(\"tcp\", addr)\n\t\t},\n\t},\n}\n"
    ),
    crate::case!(
        "internal/probe/probe.go",
        "package probe\n\nimport (\n\t\"net\"\n\t\"time\"\n)\n\nfunc Probe(addr string) error {\n\tc, err := net.Dial(\"tcp\", addr)\n\tif err != nil {\n\t\treturn err\n\t}\n\tdefer c.Close()\n\treturn c.SetDeadline(time.Now().Add(5 * time.Second))\n}\n"
    ),
    crate::case!(
        "src/main/java/com/acme/Relay.java",
        r#"package com.acme;

import java.net.Socket;

class Relay {
    Socket open(String host) throws Exception {
        return new Socket(host, 25);
               ^ `new Socket(host, port)` connects with no timeout
    }
}
"#
    ),
    crate::case!(
        "src/main/java/com/acme/Timed.java",
        r#"package com.acme;

import java.net.InetSocketAddress;
import java.net.Socket;

class Timed {
    Socket open(String host) throws Exception {
        Socket s = new Socket();
        s.connect(new InetSocketAddress(host, 25), 5000);
        s.setSoTimeout(10000);
        return s;
    }
}
"#
    ),
];
