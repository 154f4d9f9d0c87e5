//! `body-read-without-size-limit`: a whole request (or upstream response) body read into
//! memory with nothing bounding its size.

use pagerproof_core::{Confidence, Severity};
use tree_sitter::Node;

use crate::case;
use crate::lang::Family;
use crate::lang::NodeExt;
use crate::lang::imports::unquote;
use crate::lang::syntax::{self, descendants, js_object_value, positional_args};
use crate::rule::{CodeRule, Cx, Docs, Handling, RuleMeta};
use crate::rules::reach;

pub static META: RuleMeta = RuleMeta {
    id: "body-read-without-size-limit",
    category: "UNBOUNDED",
    severity: Severity::P1,
    confidence: Confidence::High,
    preview: false,
    languages: &["python", "go", "javascript", "typescript", "java"],
    summary: "Whole request or response body read into memory with no size limit",
    docs: Docs {
        what: "A body read whole into memory with no limit: Go `io.ReadAll`/`ioutil.ReadAll` of a request body \
(`r.Body` of an `*http.Request`) in a function or file that never applies `http.MaxBytesReader` or \
`io.LimitReader`, gin `c.GetRawData()`, and `io.ReadAll` of an upstream `*http.Response` body on a request \
path (reported one severity lower: the peer is usually trusted, but a misbehaving one can still exhaust memory \
while serving traffic); Python Flask \
`request.get_data()`, `request.stream.read()` and `request.files[...].read()` in files that set no \
`MAX_CONTENT_LENGTH` and check no `content_length` (Starlette/FastAPI `await request.body()` is not reported: the \
framework parses every body the same way, so the limit belongs to the server or a middleware); Node \
`req.on('data')` accumulation with no length check, `raw-body`/`getRawBody` without `limit`, and body parsers \
(`express.json`, `bodyParser.raw`...) configured with a limit of 50 MB or more, `Infinity` or `-1`; Java \
`request.getInputStream().readAllBytes()`, `IOUtils.toByteArray/toString(request.getInputStream())`, \
`StreamUtils.copyToByteArray(request.getInputStream())`. Frameworks with a default cap (Django's \
`DATA_UPLOAD_MAX_MEMORY_SIZE`, aiohttp's `client_max_size`, Express parsers' 100 kB default, Spring multipart \
limits) are not reported.",
        scenario: "A client (or an attacker, or a buggy upstream) sends a body of hundreds of megabytes or a \
never-ending chunked stream.",
        impact: "The process allocates the whole body: one request can push it over its memory limit and get it \
OOM-killed, taking every in-flight request with it. A handful of concurrent large bodies does it even with \
generous limits.",
        detection: "OOMKilled restarts that coincide with large requests; memory spikes on a single endpoint; \
request size percentiles at the load balancer.",
        mitigation: "Cap the body before reading it: `http.MaxBytesReader` / `io.LimitReader` in Go, \
`MAX_CONTENT_LENGTH` in Flask (or a `Content-Length` check and a bounded read), a `limit` on Node body parsers, \
and stream large uploads to storage instead of buffering them.",
        fixes: &[
            (
                "go",
                "r.Body = http.MaxBytesReader(w, r.Body, 1<<20) // 1 MiB\nbody, err := io.ReadAll(r.Body)\n\n// upstream responses:\nbody, err := io.ReadAll(io.LimitReader(resp.Body, 10<<20))",
            ),
            (
                "python",
                "app.config[\"MAX_CONTENT_LENGTH\"] = 1 * 1024 * 1024  # Flask answers 413 above it\n\n# Starlette/FastAPI: check the header, then read in bounded chunks\nif int(request.headers.get(\"content-length\", 0)) > MAX_BODY:\n    raise HTTPException(413)",
            ),
            (
                "javascript",
                "app.use(express.json({ limit: '1mb' }));\nconst body = await getRawBody(req, { limit: '1mb' });",
            ),
            (
                "typescript",
                "app.use(express.json({ limit: '1mb' }));\nconst body = await getRawBody(req, { limit: '1mb' });",
            ),
            (
                "java",
                "// server.tomcat.max-swallow-size / a size check before reading\nif (request.getContentLengthLong() > MAX_BODY) { response.sendError(413); return; }\nbyte[] body = request.getInputStream().readNBytes(MAX_BODY);",
            ),
        ],
        monitoring: "Track request body sizes per route (histogram) and alert on OOMKilled restarts.",
    },
    outside_production: Handling::Drop,
    cases: &[
        case!(
            "cmd/api/handlers.go",
            r#"package main

import (
	"io"
	"io/ioutil"
	"net/http"
)

func upload(w http.ResponseWriter, r *http.Request) {
	data, err := io.ReadAll(r.Body)
	             ^ `io.ReadAll(r.Body)` reads the whole request body
	_, _ = data, err
}

func proxy(w http.ResponseWriter, r *http.Request) {
	res, err := http.DefaultClient.Do(r)
	if err != nil {
		return
	}
	body, _ := ioutil.ReadAll(res.Body)
	           ^ `ioutil.ReadAll(res.Body)` reads the whole upstream response body
	w.Write(body)
	limited, _ := io.ReadAll(io.LimitReader(res.Body, 1<<20))
	w.Write(limited)
}
"#
        ),
        case!(
            "cmd/api/limited.go",
            r#"package main

import (
	"io"
	"net/http"
)

func upload(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 1<<20)
	data, _ := io.ReadAll(r.Body)
	_ = data
}
"#
        ),
        case!(
            "app/hooks.py",
            r#"from flask import Flask, request

app = Flask(__name__)

@app.post("/upload")
def upload():
    raw = request.get_data()
          ^ `request.get_data()` reads the whole request body
    f = request.files["file"].read()
        ^ `.read()` of an uploaded file
    head = request.files["file"].read(1024)
    return "ok"
"#
        ),
        case!(
            "app/api.py",
            r#"from fastapi import FastAPI, Request, HTTPException

app = FastAPI()
MAX = 1 << 20

@app.post("/hook")
async def hook(request: Request):
    if int(request.headers.get("content-length", 0)) > MAX:
        raise HTTPException(413)
    return await request.body()
"#
        ),
        case!(
            "src/server.js",
            r#"const express = require('express');
const bodyParser = require('body-parser');
const app = express();
app.use(bodyParser.json({ limit: '500mb' }));
        ^ `bodyParser.json` with a limit of '500mb'
app.use(express.urlencoded({ extended: true, limit: '10kb' }));

app.post('/raw', (req, res) => {
  let body = '';
  req.on('data', (chunk) => { body += chunk; });
  ^ accumulates the request body
  req.on('end', () => res.send(body.length));
});

app.post('/capped', (req, res) => {
  let size = 0;
  const chunks = [];
  req.on('data', (chunk) => {
    size += chunk.length;
    if (size > 1e6) { req.destroy(); return; }
    chunks.push(chunk);
  });
});
"#
        ),
        case!(
            "src/app.ts",
            r#"import express from 'express';
const app = express();
app.use(express.json({ limit: '1mb' }));
app.use(express.raw({ type: 'application/octet-stream', limit: 5 * 1024 * 1024 }));
app.post('/x', (req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => {
    if (chunks.length > 100) { req.destroy(); return; }
    chunks.push(c);
  });
});
"#
        ),
        case!(
            "src/main/java/com/acme/HookServlet.java",
            r#"package com.acme;

import javax.servlet.http.*;
import org.apache.commons.io.IOUtils;

public class HookServlet extends HttpServlet {
    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws java.io.IOException {
        byte[] body = request.getInputStream().readAllBytes();
                      ^ reads the whole request body
        String text = IOUtils.toString(request.getInputStream(), "UTF-8");
                      ^ reads the whole request body
        byte[] head = request.getInputStream().readNBytes(1024);
    }
}
"#
        ),
        case!(
            "src/main/java/com/acme/Files.java",
            r#"package com.acme;
import java.io.InputStream;
class Files {
    byte[] load(InputStream in) throws Exception { return in.readAllBytes(); }
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
            Family::Python => &["call"],
            Family::Go => &["call_expression"],
            Family::Js => &["call_expression"],
            Family::Java => &["method_invocation"],
        }
    }

    fn check(&self, node: Node<'_>, cx: &mut Cx<'_>) {
        match cx.family() {
            Family::Go => go(node, cx),
            Family::Python => python(node, cx),
            Family::Js => js(node, cx),
            Family::Java => java(node, cx),
        }
    }
}

fn go(call: Node<'_>, cx: &mut Cx<'_>) {
    let (written, resolved) = cx.callee(call);
    if resolved == "github.com/gin-gonic/gin.Context.GetRawData" || written.ends_with(".GetRawData")
    {
        let recv = syntax::receiver(&written).unwrap_or("");
        let func = syntax::enclosing_function(call, Family::Go);
        let is_gin = func.is_some_and(|f| {
            reach::params(f, cx)
                .iter()
                .any(|(n, t)| n == recv && t == "*gin.Context")
        });
        if is_gin && !cx.src.contains("MaxBytesReader") {
            cx.hit(&META, call, "GetRawData", format!("`{written}()` reads the whole request body into memory and nothing limits its size (no `http.MaxBytesReader`)"));
        }
        return;
    }
    if !matches!(resolved.as_str(), "io.ReadAll" | "io/ioutil.ReadAll") {
        return;
    }
    let Some(arg) = positional_args(call).into_iter().next() else {
        return;
    };
    let arg_text = cx.text(arg);
    let Some(owner) = arg_text.strip_suffix(".Body") else {
        return;
    };
    let name = format!("{}({arg_text})", written);
    let func = syntax::enclosing_function(call, Family::Go);
    // An inbound request: the owner is an *http.Request parameter of an enclosing function.
    let mut inbound = false;
    let mut f = func;
    while let Some(fun) = f {
        if reach::params(fun, cx)
            .iter()
            .any(|(n, t)| n == owner && t.ends_with("http.Request"))
        {
            inbound = true;
            break;
        }
        f = syntax::enclosing_function(fun, Family::Go);
    }
    if inbound {
        let scope_limits = func.is_some_and(|f| cx.text(f).contains("LimitReader"));
        if cx.src.contains("MaxBytesReader") || scope_limits {
            return;
        }
        cx.hit(&META, call, name.clone(), format!("`{name}` reads the whole request body into memory and nothing limits its size (no `http.MaxBytesReader`): one large request can OOM-kill the process"));
        return;
    }
    // An upstream response: the owner was bound from an HTTP call in this file.
    let from_http = cx.bindings().nodes(cx.root, owner).iter().any(|v| {
        v.kind_name() == "call_expression" && {
            let (w, r) = cx.callee(*v);
            let m = syntax::last_segment(&w);
            matches!(m, "Do" | "Get" | "Post" | "PostForm" | "Head" | "RoundTrip")
                && (r.starts_with("net/http.") || !w.contains("http.") || w.contains("Client"))
        }
    });
    // `res.Body = io.NopCloser(io.LimitReader(res.Body, n))` before the read.
    let scope_limits = func.is_some_and(|f| {
        let t = cx.text(f);
        t.contains(&format!("{owner}.Body = ")) && t.contains("LimitReader")
    });
    // Upstream reads matter where they run per request; background jobs and CLIs fetching
    // a known endpoint are left alone.
    if from_http && !scope_limits && cx.request_paths().contains(call) {
        cx.hit(&META, call, name.clone(), format!("`{name}` reads the whole upstream response body into memory with no `io.LimitReader`: a misbehaving upstream can exhaust this process's memory"))
            .severity(Severity::P2)
            .confidence(Confidence::Medium);
    }
}

/// Whether the file bounds Flask/Starlette request sizes somewhere.
fn python_size_checked(cx: &Cx<'_>) -> bool {
    let s = cx.src;
    s.contains("MAX_CONTENT_LENGTH")
        || s.contains("content_length")
        || s.to_ascii_lowercase().contains("content-length")
        || s.contains("max_content_length")
}

fn python(call: Node<'_>, cx: &mut Cx<'_>) {
    let (written, _) = cx.callee(call);
    let Some((recv, method)) = written.rsplit_once('.') else {
        return;
    };
    let no_args = syntax::arguments(call).is_some_and(|a| a.named_child_count() == 0);
    let flask_request = cx.imports().resolve("request") == "flask.request"
        || cx.imports().resolve("request") == "quart.request";
    let msg = |what: &str| {
        format!(
            "`{what}` reads the whole request body into memory and nothing in this file limits its size (`MAX_CONTENT_LENGTH` or a `Content-Length` check)"
        )
    };
    // Flask: request.get_data(), request.stream.read()
    if flask_request
        && (recv == "request" && method == "get_data"
            || written == "request.stream.read" && no_args)
    {
        if !python_size_checked(cx) {
            cx.hit(&META, call, written.clone(), msg(&format!("{written}()")));
        }
        return;
    }
    // request.files["f"].read()
    if method == "read"
        && no_args
        && recv.starts_with("request.files")
        && (flask_request || recv.contains('['))
        && !python_size_checked(cx)
    {
        {
            cx.hit(&META, call, "files.read", "`.read()` of an uploaded file loads the whole upload into memory and nothing in this file limits its size (`MAX_CONTENT_LENGTH`)");
        }
    }
}

/// A size like `'500mb'`, `50 * 1024 * 1024`, `Infinity`: bytes, or `None` if unknown.
fn js_limit_bytes(v: Node<'_>, cx: &Cx<'_>) -> Option<f64> {
    let t = cx.text(v).trim();
    if t == "Infinity" || t == "-1" || t == "Number.MAX_SAFE_INTEGER" {
        return Some(f64::INFINITY);
    }
    if let Some(s) = syntax::string_value(v, cx.src) {
        let s = s.trim().to_ascii_lowercase();
        let digits: String = s
            .chars()
            .take_while(|c| c.is_ascii_digit() || *c == '.')
            .collect();
        let unit = s[digits.len()..].trim();
        let n: f64 = digits.parse().ok()?;
        let mult = match unit {
            "" | "b" => 1.0,
            "kb" | "k" => 1024.0,
            "mb" | "m" => 1024.0 * 1024.0,
            "gb" | "g" => 1024.0 * 1024.0 * 1024.0,
            _ => return None,
        };
        return Some(n * mult);
    }
    // numeric products: 50 * 1024 * 1024
    let mut prod = 1.0;
    for part in t.split('*') {
        prod *= part.trim().replace('_', "").parse::<f64>().ok()?;
    }
    Some(prod)
}

const PARSERS: &[&str] = &[
    "body-parser.json",
    "body-parser.raw",
    "body-parser.text",
    "body-parser.urlencoded",
    "express.json",
    "express.raw",
    "express.text",
    "express.urlencoded",
];

fn js(call: Node<'_>, cx: &mut Cx<'_>) {
    let (written, resolved) = cx.callee(call);
    let args = positional_args(call);
    if PARSERS.contains(&resolved.as_str()) {
        if let Some(opts) = args.first().filter(|o| o.kind_name() == "object")
            && let Some(limit) = js_object_value(*opts, cx.src, "limit")
            && js_limit_bytes(limit, cx).is_some_and(|b| b >= 50.0 * 1024.0 * 1024.0)
        {
            let lt = cx.text(limit).to_string();
            cx.hit(&META, call, written.clone(), format!("`{written}` with a limit of {lt}: a few concurrent bodies of that size exhaust the process's memory"));
        }
        return;
    }
    if resolved == "raw-body" || resolved == "raw-body.default" {
        let has_limit = args
            .get(1)
            .filter(|o| o.kind_name() == "object")
            .is_some_and(|o| js_object_value(*o, cx.src, "limit").is_some())
            || args.get(1).is_some_and(|o| o.kind_name() != "object");
        if !has_limit {
            cx.hit(
                &META,
                call,
                written.clone(),
                format!("`{written}` without `limit` reads the whole request body into memory"),
            );
        }
        return;
    }
    // req.on('data', chunk => { body += chunk }) with no size check in the handler.
    let Some((recv, method)) = written.rsplit_once('.') else {
        return;
    };
    if method != "on" || !matches!(recv, "req" | "request") {
        return;
    }
    if args.first().and_then(|a| syntax::string_value(*a, cx.src)) != Some("data") {
        return;
    }
    let Some(cb) = args.get(1) else { return };
    let accumulates = descendants(*cb).any(|n| {
        (n.kind_name() == "augmented_assignment_expression" && cx.text(n).contains("+="))
            || (n.kind_name() == "call_expression"
                && syntax::last_segment(&syntax::callee_text(n, cx.src)) == "push")
    });
    if !accumulates {
        return;
    }
    let scope = syntax::enclosing_function(call, Family::Js)
        .map(|f| cx.text(f))
        .unwrap_or(cx.src);
    let checked = scope.contains(".length >")
        || scope.contains("length >")
        || scope.contains("size >")
        || scope.contains("byteLength")
        || scope.contains("413")
        || scope.contains("destroy(")
        || scope.contains("content-length");
    if !checked {
        cx.hit(&META, call, "req.on('data')", format!("`{recv}.on('data')` accumulates the request body with no size check: one large or endless request exhausts memory"));
    }
}

fn java(call: Node<'_>, cx: &mut Cx<'_>) {
    let w = syntax::callee_text(call, cx.src);
    let is_request_stream = |t: &str| {
        let t = t.trim();
        let Some(recv) = t.strip_suffix(".getInputStream()") else {
            return false;
        };
        // The receiver is an HttpServletRequest parameter.
        let func = syntax::enclosing_function(call, Family::Java);
        func.is_some_and(|f| {
            reach::params(f, cx)
                .iter()
                .any(|(n, ty)| n == recv && ty.ends_with("HttpServletRequest"))
        })
    };
    let hit = if let Some(recv) = w.strip_suffix(".readAllBytes") {
        is_request_stream(recv)
    } else if matches!(
        w.as_str(),
        "IOUtils.toByteArray"
            | "IOUtils.toString"
            | "StreamUtils.copyToByteArray"
            | "StreamUtils.copyToString"
            | "ByteStreams.toByteArray"
    ) {
        positional_args(call)
            .first()
            .is_some_and(|a| is_request_stream(cx.text(*a)))
    } else {
        false
    };
    if hit {
        let body = cx.text(cx.root);
        if body.contains("getContentLength") {
            return;
        }
        cx.hit(&META, call, w.clone(), format!("`{w}` reads the whole request body into memory and nothing checks its size: one large request can exhaust the heap"));
    }
    let _ = unquote;
}
