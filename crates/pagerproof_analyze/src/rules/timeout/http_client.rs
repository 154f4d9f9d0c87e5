//! `http-client-without-timeout`: an outbound HTTP call, or an HTTP client, with no
//! finite timeout.

use pagerproof_core::{Confidence, Severity};
use tree_sitter::Node;

use crate::case;
use crate::lang::Family;
use crate::lang::NodeExt;
use crate::lang::syntax::{
    self, descendants, kwarg, last_segment, positional_args, receiver, string_value,
};
use crate::rule::{CodeRule, Cx, Docs, Handling, Requirement, RuleMeta};
use crate::rules::timeout::{go_deadline, js_is_browser_file};

pub static META: RuleMeta = RuleMeta {
    id: "http-client-without-timeout",
    category: "TIMEOUT",
    severity: Severity::P1,
    confidence: Confidence::High,
    preview: false,
    languages: &["python", "go", "javascript", "typescript", "java"],
    summary: "Outbound HTTP call or client with no finite timeout",
    docs: Docs {
        what: "An HTTP request that can wait forever: Python `requests` functions and `Session` methods without \
`timeout=` (and locust `HttpUser` requests, whose `self.client` is a requests Session: P3, a load generator is not \
on the pager), `urllib.request.urlopen`/`http.client`/`urllib3.PoolManager` without a timeout, `httpx`/`aiohttp` with the \
timeout explicitly disabled; Go `http.Get/Post/Head/PostForm`, `http.DefaultClient`, and `http.Client{}` literals \
without `Timeout`, each request sent through such a client in its file (`c.Do(req)` whose request was built \
without a context or with one no deadline bounds on the way, `c.Get(url)`), and calls through a library client built on such a literal (`c := metadata.NewClient(&http.Client{})`, then `v, err := c.Zone()`) when no deadline or caller context bounds them; Node `fetch` without an abort signal, axios calls and instances without `timeout` (instance and \
`axios.defaults` timeouts count), `got` without `timeout`, the `request` library (and `request-promise`) without `timeout` in its options or a \
`request.defaults({ timeout })` instance, `http.request`/`https.get` without a timeout; Java \
`new RestTemplate()` (and, at medium confidence, the requests sent through a `RestTemplate` injected into another \
file of the component when `new RestTemplate()` is how that component builds one; a file that builds its own or picks \
a bean by `@Qualifier` is not judged), `HttpRequest.newBuilder()` without `.timeout(...)`, Apache `HttpClients.createDefault()`, \
`WebClient.create()`/`WebClient.builder()` and `RestClient.create()`/`RestClient.builder()` with no timeout in the \
file (an injected builder is judged where its `@Bean` builds it). Knows the documented finite defaults and does not report them: \
httpx (5 s), aiohttp (300 s total), OkHttp (10 s), Go requests whose context carries a deadline. Browser code is \
not reported: files that render UI or are served as static assets, and packages whose `package.json` builds a browser \
application (a browser bundler, no server framework); a browser bounds its own requests.",
        scenario: "A dependency stops answering without closing the connection (a hung upstream, a black-holed \
network path, a load balancer that accepts and never forwards).",
        impact: "Each request thread, goroutine or event-loop task waiting on it is stuck forever. Under load, all \
workers fill up, the service stops answering its own callers, and the failure cascades upstream.",
        detection: "Request latency climbs without bound; worker or connection-pool saturation; health checks fail only \
once every worker is stuck; thread dumps show threads parked in socket reads.",
        mitigation: "Set a finite timeout on every outbound call, shorter than the caller's own deadline, and on the \
client itself so new call sites inherit it.",
        fixes: &[
            (
                "python",
                "resp = requests.get(url, timeout=(3.05, 10))  # (connect, read) seconds\n\n# or once, for a whole session:\nsession = requests.Session()\nsession.request = functools.partial(session.request, timeout=10)",
            ),
            (
                "go",
                "client := &http.Client{Timeout: 10 * time.Second}\nresp, err := client.Get(url)\n\n// or per request, bounded by the caller's deadline:\nctx, cancel := context.WithTimeout(ctx, 5*time.Second)\ndefer cancel()\nreq, _ := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)",
            ),
            (
                "javascript",
                "const res = await fetch(url, { signal: AbortSignal.timeout(5000) });\n\nconst api = axios.create({ baseURL, timeout: 5000 });",
            ),
            (
                "typescript",
                "const res = await fetch(url, { signal: AbortSignal.timeout(5000) });\n\nconst api = axios.create({ baseURL, timeout: 5000 });",
            ),
            (
                "java",
                "HttpRequest req = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build();\n\nRestTemplate rt = new RestTemplateBuilder()\n    .setConnectTimeout(Duration.ofSeconds(2))\n    .setReadTimeout(Duration.ofSeconds(5))\n    .build();",
            ),
        ],
        monitoring: "Alert on p99 latency of each outbound dependency above its budget and on saturation of worker \
pools / in-flight requests; export a per-dependency timeout counter.",
    },
    outside_production: Handling::Drop,
    cases: &[
        case!(
            "app/client.py",
            r#"import requests
import requests as rq
from requests import post

def fetch(url):
    r = requests.get(url)
        ^ `requests.get` has no timeout
    rq.post(url, json={}, timeout=None)
    ^ `timeout=None`
    post(url)
    ^ `requests.post` has no timeout
    return requests.get(url, timeout=5)

def ok(url, **kw):
    requests.get(url, **kw)
    requests.request("GET", url, timeout=3)
"#
        ),
        case!(
            "svc/sessions.py",
            r#"import requests
import urllib.request

class Api:
    def __init__(self):
        self.session = requests.Session()

    def get(self, path):
        return self.session.get("https://api.example.com" + path)
               ^ `Session.get` has no timeout
    def put(self, path):
        return self.session.put(path, timeout=10)

def download(url):
    with urllib.request.urlopen(url) as f:
         ^ `urllib.request.urlopen` has no timeout
        return f.read()
"#
        ),
        case!(
            "svc/fine.py",
            r#"import httpx, aiohttp, requests

async def main(url):
    httpx.get(url)
    async with aiohttp.ClientSession() as s:
        await s.get(url)
    d = {}
    d.get(url)
"#
        ),
        case!(
            "tests/test_api.py",
            "import requests\nrequests.get('http://localhost')\n"
        ),
        case!(
            "cmd/fetch/main.go",
            r#"package main

import (
	"context"
	"net/http"
	"time"
)

func main() {
	resp, err := http.Get("https://example.com")
	             ^ `http.Get` uses http.DefaultClient, which has no timeout
	_ = resp
	_ = err
	c := &http.Client{}
	     ^ `http.Client` literal without `Timeout`
	ok := &http.Client{Timeout: 5 * time.Second}
	_, _ = c, ok
}

func call(ctx context.Context, req *http.Request) {
	http.DefaultClient.Do(req)
	^ `http.DefaultClient.Do`
}

func bounded(ctx context.Context, url string) {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	http.DefaultClient.Do(req)
}
"#
        ),
        case!(
            "internal/meta/lookup.go",
            r#"package meta

import (
	"context"
	"net/http"
	"time"

	"example.com/inventory"
)

func region() string {
	inv := inventory.New(&http.Client{})
	                     ^ `http.Client` literal without `Timeout`
	name, err := inv.Region()
	             ^ `inv.Region` goes through a client built at line 12
	if err != nil {
		return ""
	}
	inv.SetAgent("x")
	return name
}

func zone(ctx context.Context) (string, error) {
	hc := &http.Client{Transport: http.DefaultTransport}
	      ^ `http.Client` literal without `Timeout`
	inv := inventory.New(hc)
	z, err := inv.ZoneContext(ctx)
	return z, err
}

func rack() (string, error) {
	inv := inventory.New(&http.Client{Timeout: 2 * time.Second})
	r, err := inv.Rack()
	return r, err
}

func bounded() (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	inv := inventory.New(&http.Client{})
	                     ^ `http.Client` literal without `Timeout`
	return inv.RegionContext(ctx)
}
"#
        ),
        case!(
            "internal/quote/client.go",
            r#"package quote

import (
	"bytes"
	"context"
	"net/http"
	"time"
)

type svc struct {
	hc      *http.Client
	bounded *http.Client
}

func newSvc() *svc {
	s := &svc{}
	s.hc = &http.Client{}
	       ^ `http.Client` literal without `Timeout`
	s.bounded = &http.Client{Timeout: 3 * time.Second}
	return s
}

func (q *svc) price(body []byte) error {
	req, err := http.NewRequest("POST", "http://pricing/quote", bytes.NewReader(body))
	if err != nil {
		return err
	}
	resp, err := q.hc.Do(req)
	             ^ `q.hc.Do` goes through the `http.Client` built at line 17 without `Timeout`, and its request carries no deadline
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

func (q *svc) ping() error {
	resp, err := q.hc.Get("http://pricing/ping")
	             ^ `q.hc.Get` goes through the `http.Client` built at line 17 without `Timeout` and takes no context
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

func (q *svc) withDeadline(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", "http://pricing/x", nil)
	_, err := q.hc.Do(req)
	return err
}

func (q *svc) boundedClient() error {
	_, err := q.bounded.Get("http://pricing/y")
	return err
}

func (q *svc) given(req *http.Request) error {
	_, err := q.hc.Do(req)
	return err
}
"#
        ),
        case!(
            "server.js",
            r#"const axios = require('axios');
const http = require('http');

async function handler(url) {
  const a = await fetch(url);
                  ^ `fetch` without an abort signal
  const b = await fetch(url, { signal: AbortSignal.timeout(3000) });
  await axios.get(url);
        ^ `axios.get` without `timeout`
  await axios.post(url, {}, { timeout: 2000 });
  http.get(url, (res) => {});
  ^ `http.get` without a timeout
}
const api = axios.create({ baseURL: 'https://x' });
            ^ `axios.create` without `timeout`
"#
        ),
        case!(
            "loadtest/shop_user.py",
            r#"from locust import HttpUser, FastHttpUser, task, between

class Shopper(HttpUser):
    wait_time = between(1, 3)

    @task
    def browse(self):
        self.client.get("/catalog")
        ^ locust `HttpUser` request `self.client.get` has no timeout
        self.client.post("/cart", json={"sku": 1}, timeout=5)
        items = self.client.get("/cart", timeout=None).json()
                ^ locust `HttpUser` request `self.client.get` has no timeout

class Browser(FastHttpUser):
    @task
    def home(self):
        self.client.get("/")

class Plain:
    def run(self):
        self.client.get("/x")
"#
        ),
        case!(
            "stock/server.js",
            r#"const request = require('request');
const rp = require('request-promise-native');
const stockHost = process.env.STOCK_HOST || 'stock';

function level(sku, done) {
  request('http://' + stockHost + '/level/' + sku, (err, res, body) => done(err, body));
  ^ `request` without `timeout`
}
function reserve(sku, done) {
  request.post(`http://${stockHost}/reserve`, { json: { sku } }, done);
  ^ `request.post` without `timeout`
}
function release(sku, done) {
  request({ url: `http://${stockHost}/release/${sku}`, method: 'POST', timeout: 2000 }, done);
}
async function price(sku) {
  return rp.get(`http://${stockHost}/price/${sku}`, { timeout: 1500, json: true });
}
async function audit(opts) {
  return rp(opts);
}
"#
        ),
        // A module wrapped in an immediately invoked function, options built in a variable.
        case!(
            "web/routes/basket.js",
            r#"(function () {
  'use strict';
  var router = require('express').Router()
    , http = require('request')
    , svc = process.env.BASKET_URL;

  router.get('/basket/:id', function (req, res, next) {
    http.get(svc + '/baskets/' + req.params.id, function (err, r, body) {
    ^ `request.get` without `timeout`
      if (err) return next(err);
      res.send(body);
    });
  });

  router.get('/basket/:id/image', function (req, res, next) {
    var url = svc + req.url;
    http.get(url).on('error', next).pipe(res);
    ^ `request.get` without `timeout`
  });

  router.get('/basket/:id/raw', function (req, res, next) {
    var target = svc + req.url;
    target = rewrite(target);
    http.get(target).pipe(res);
  });

  router.delete('/basket/:id', function (req, res, next) {
    var opts = { uri: svc + '/baskets/' + req.params.id, method: 'DELETE' };
    console.log('deleting ' + opts.uri);
    http(opts, function (err) { next(err); });
    ^ `request` without `timeout`
  });

  router.put('/basket/:id', function (req, res, next) {
    var opts = { uri: svc + '/baskets/' + req.params.id, method: 'PUT', timeout: 2500 };
    http(opts, function (err) { next(err); });
  });

  router.post('/basket/:id', function (req, res, next) {
    var opts = { uri: svc + '/baskets/' + req.params.id, method: 'POST' };
    opts.timeout = 4000;
    http(opts, function (err) { next(err); });
  });

  router.patch('/basket/:id', function (req, res, next) {
    var opts = { uri: svc + '/baskets/' + req.params.id, method: 'PATCH' };
    withDefaults(opts);
    http(opts, function (err) { next(err); });
  });

  router.post('/basket', function (req, res, next) {
    var opts = { uri: svc + '/baskets', method: 'POST', json: true, body: req.body };
    steps([
      function (done) {
        http(opts, function (err, r, body) { done(err, body); });
        ^ `request` without `timeout`
      },
      function (body, done) {
        var opts = { uri: svc + '/audit', method: 'POST', timeout: 800 };
        http(opts, done);
      }
    ], next);
  });

  router.post('/basket/merge', function (req, res, next) {
    var opts = { uri: svc + '/baskets/merge', method: 'POST' };
    steps([
      function (done) {
        http(opts, function (err) { done(err); });
      }
    ], next);
    opts.timeout = 1000;
  });

  function fetchLink(resourceLink, cb) {
    http.get(resourceLink, function (err, r, body) { cb(err, body); });
    ^ `request.get` without `timeout`
  }

  function fetchWith(target, cb) {
    http.get(target, cb);
  }

  function fetchBounded(targetUrl, cb) {
    http.get(targetUrl, { timeout: 1200 }, cb);
  }

  function relay(opts, cb) {
    http(opts, cb);
  }

  module.exports = router;
}());
"#
        ),
        // A shared instance with a default timeout.
        case!(
            "ledger/client.js",
            r#"const request = require('request').defaults({ timeout: 3000 });
module.exports = (id, cb) => request.get('http://ledger/entries/' + id, cb);
"#
        ),
        // A local function named `request` is not the library.
        case!(
            "lib/queue.js",
            r#"function request(path, cb) { setImmediate(() => cb(null, path)); }
request('/jobs', () => {});
"#
        ),
        case!(
            "src/client.ts",
            r#"import axios from 'axios';
axios.defaults.timeout = 5000;
export async function load(url: string) {
  return axios.get(url);
}
const api = axios.create({ timeout: 1000 });
export const get = (u: string) => api.get(u);
"#
        ),
        case!(
            "web/src/App.tsx",
            r#"import React from 'react';
export function App() {
  React.useEffect(() => { fetch('/api/items'); }, []);
  return <div />;
}
"#
        ),
        // A browser application's package (a bundler, no server framework): its
        // requests run in users' browsers. A server package nested in it is still checked.
        crate::rule::Case {
            files: &[
                (
                    "admin/package.json",
                    r#"{"name": "admin-ui", "private": true,
 "dependencies": {"vue": "^3.4.0", "axios": "^1.7.0"},
 "devDependencies": {"vite": "^5.0.0"}}
"#,
                ),
                (
                    "admin/src/api/users.ts",
                    r#"import axios from 'axios';
const api = axios.create({ baseURL: '/api' });
export const listUsers = () => api.get('/users');
export async function loadUser(id: string) {
  const res = await fetch(`/api/users/${id}`);
  return res.json();
}
"#,
                ),
                (
                    "admin/proxy/package.json",
                    r#"{"name": "admin-proxy", "dependencies": {"express": "^4.19.0"}}
"#,
                ),
                (
                    "admin/proxy/index.js",
                    r#"const express = require('express');
const app = express();
app.get('/upstream', async (req, res) => {
  const r = await fetch(process.env.UPSTREAM_URL);
                  ^ `fetch` without an abort signal
  res.json(await r.json());
});
app.listen(8080);
"#,
                ),
            ],
        },
        case!(
            "src/jobs/trigger.ts",
            r#"export async function trigger(url: string, body: string) {
  await Promise.race([
    fetch(url, { method: 'POST', body }).catch(() => null),
    new Promise((resolve) => setTimeout(resolve, 200)),
  ]);
}
"#
        ),
        case!(
            "agent/send.js",
            r#"function transport(url) {
  return url.startsWith('https:') ? require('https') : require('http');
}
function send(url, body) {
  const http = transport(url);
  const req = http.request(url, { method: 'POST' });
              ^ `http.request` without a timeout
  req.end(body);
}
"#
        ),
        // `http` here is an axios instance, not node's module: reported once, at `create`.
        case!(
            "lib/api.js",
            r#"import axios from 'axios';
const http = axios.create({ baseURL: process.env.API_URL });
             ^ `axios.create` without `timeout`
export const health = () => http.get('/health', { retries: 0 });
export const items = () => http.get('/items');
"#
        ),
        // A `RestTemplate` injected into another file: its calls are reported when the
        // component builds it without timeouts; a file choosing a bean by qualifier is not.
        crate::rule::Case {
            files: &[
                (
                    "src/main/java/com/shop/pay/PayConfig.java",
                    r#"package com.shop.pay;

import org.springframework.context.annotation.Bean;
import org.springframework.web.client.RestTemplate;

class PayConfig {
    @Bean
    RestTemplate http() {
        return new RestTemplate();
               ^ `new RestTemplate()` has no connect or read timeout
    }
}
"#,
                ),
                (
                    "src/main/java/com/shop/pay/Refunds.java",
                    r#"package com.shop.pay;

import org.springframework.web.client.RestTemplate;

class Refunds {
    private final RestTemplate http;

    Refunds(RestTemplate http) {
        this.http = http;
    }

    String status(String id) {
        String body = this.http.getForObject("http://ledger/refunds/" + id, String.class);
                      ^ `http.getForObject(...)` goes through the injected `RestTemplate`
        return body;
    }
}
"#,
                ),
                (
                    "src/main/java/com/shop/pay/Audit.java",
                    r#"package com.shop.pay;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.web.client.RestTemplate;

class Audit {
    private final RestTemplate client;

    Audit(@Qualifier("bounded") RestTemplate client) {
        this.client = client;
    }

    void send(String line) {
        client.postForObject("http://audit/lines", line, Void.class);
    }
}
"#,
                ),
            ],
        },
        // The component's `RestTemplate` bean has timeouts: calls through it are bounded.
        crate::rule::Case {
            files: &[
                (
                    "src/main/java/com/shop/stock/StockConfig.java",
                    r#"package com.shop.stock;

import java.time.Duration;
import org.springframework.boot.web.client.RestTemplateBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.web.client.RestTemplate;

class StockConfig {
    @Bean
    RestTemplate http(RestTemplateBuilder b) {
        return b.setConnectTimeout(Duration.ofSeconds(1)).setReadTimeout(Duration.ofSeconds(3)).build();
    }
}
"#,
                ),
                (
                    "src/main/java/com/shop/stock/Levels.java",
                    r#"package com.shop.stock;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.web.client.RestTemplate;

class Levels {
    @Autowired
    RestTemplate http;

    Integer level(String sku) {
        return http.getForObject("http://warehouse/levels/" + sku, Integer.class);
    }
}
"#,
                ),
            ],
        },
        case!(
            "src/main/java/com/acme/Client.java",
            r#"package com.acme;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.URI;
import java.time.Duration;
import org.springframework.web.client.RestTemplate;

class Client {
    RestTemplate rt = new RestTemplate();
                      ^ `new RestTemplate()` has no connect or read timeout
    void call() throws Exception {
        HttpRequest req = HttpRequest.newBuilder(URI.create("https://x")).GET().build();
                          ^ `HttpRequest` built without `.timeout(...)`
        HttpRequest ok = HttpRequest.newBuilder(URI.create("https://x")).timeout(Duration.ofSeconds(2)).build();
    }
}
"#
        ),
        case!(
            "src/main/java/com/acme/ClientsConfig.java",
            r#"package com.acme;

import org.springframework.context.annotation.Bean;
import org.springframework.web.client.RestClient;
import org.springframework.web.reactive.function.client.WebClient;

class ClientsConfig {
    @Bean
    WebClient.Builder webClientBuilder() {
        return WebClient.builder();
               ^ `WebClient` with no response timeout
    }

    @Bean
    RestClient customers() {
        return RestClient.builder().baseUrl("http://customers").build();
               ^ `RestClient` with no request factory and no read timeout
    }
}
"#
        ),
        case!(
            "src/main/java/com/acme/TimedClients.java",
            r#"package com.acme;

import java.time.Duration;
import org.springframework.http.client.SimpleClientHttpRequestFactory;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.client.RestClient;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.netty.http.client.HttpClient;

class TimedClients {
    WebClient web = WebClient.builder()
        .clientConnector(new ReactorClientHttpConnector(HttpClient.create().responseTimeout(Duration.ofSeconds(5))))
        .build();

    RestClient rest() {
        SimpleClientHttpRequestFactory f = new SimpleClientHttpRequestFactory();
        f.setReadTimeout(Duration.ofSeconds(5));
        return RestClient.builder().requestFactory(f).build();
    }
}
"#
        ),
        case!(
            "src/main/java/com/acme/Ok.java",
            r#"package com.acme;
import okhttp3.OkHttpClient;
class Ok {
    OkHttpClient c = new OkHttpClient();
}
"#
        ),
        case!(
            "internal/fetch/fetch.go",
            "package fetch\n\nimport (\n\t\"net/http\"\n\t\"time\"\n)\n\nvar client = &http.Client{Timeout: 10 * time.Second}\n\nfunc Get(url string) (*http.Response, error) { return client.Get(url) }\n"
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
            Family::Go => &["call_expression", "composite_literal"],
            Family::Js => &["call_expression", "new_expression"],
            Family::Java => &["method_invocation", "object_creation_expression"],
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

const PY_REQUESTS_VERBS: &[&str] = &[
    "get", "post", "put", "patch", "delete", "head", "options", "request",
];

fn python(call: Node<'_>, cx: &mut Cx<'_>) {
    let (written, resolved) = cx.callee(call);
    if written.is_empty() || syntax::has_kwargs_splat(call) {
        return;
    }
    let timeout = kwarg(call, cx.src, "timeout");
    let disabled = timeout.is_some_and(|t| cx.text(t) == "None");
    let report = |cx: &mut Cx<'_>, what: &str| {
        let msg = if disabled {
            format!("`{what}` is called with `timeout=None`, which waits forever on a hung server")
        } else {
            format!("`{what}` has no timeout: a hung server blocks this call forever")
        };
        cx.hit(&META, call, what.to_string(), msg);
    };

    // requests.get(...), requests.request(...)
    if let Some(verb) = resolved.strip_prefix("requests.")
        && PY_REQUESTS_VERBS.contains(&verb)
    {
        if timeout.is_none() || disabled {
            report(cx, &format!("requests.{verb}"));
        }
        return;
    }
    // urllib.request.urlopen / http.client connections / urllib3 pools.
    if matches!(
        resolved.as_str(),
        "urllib.request.urlopen"
            | "urllib2.urlopen"
            | "http.client.HTTPConnection"
            | "http.client.HTTPSConnection"
            | "urllib3.PoolManager"
    ) {
        let positional_timeout = resolved.ends_with("urlopen") && positional_args(call).len() >= 3;
        if (timeout.is_none() && !positional_timeout && !sets_default_socket_timeout(cx))
            || disabled
        {
            report(cx, &resolved);
        }
        return;
    }
    // httpx / aiohttp: finite defaults; only an explicit `None` disables them.
    if (resolved.starts_with("httpx.") || resolved.starts_with("aiohttp.")) && disabled {
        report(cx, &resolved);
        return;
    }
    // Methods on a requests.Session bound in this file.
    let verb = last_segment(&written);
    if !PY_REQUESTS_VERBS.contains(&verb) && verb != "send" {
        return;
    }
    let Some(recv) = receiver(&written) else {
        return;
    };
    if timeout.is_some() && !disabled {
        return;
    }
    if recv == "self.client" && locust_requests_user(call, cx) {
        cx.hit(
            &META,
            call,
            format!("HttpUser.client.{verb}"),
            format!("locust `HttpUser` request `self.client.{verb}` has no timeout (its client is a requests Session): a hung endpoint stalls this simulated user; pass `timeout=` or use `FastHttpUser`"),
        )
        .severity(Severity::P3);
        return;
    }
    let is_session = cx
        .bindings()
        .nodes_for_receiver(cx.root, recv)
        .iter()
        .any(|v| {
            v.kind_name() == "call" && {
                let r = cx.imports().resolve(&syntax::callee_text(*v, cx.src));
                r == "requests.Session"
                    || r == "requests.session"
                    || r == "requests.sessions.Session"
            }
        });
    if is_session && !session_has_timeout_adapter(cx) {
        report(cx, &format!("Session.{verb}"));
    }
}

/// The call is in a class that derives directly from locust's `HttpUser` (`HttpLocust`
/// before 1.0), whose `client` is a `requests.Session` with no default timeout.
/// `FastHttpUser` has finite defaults (60 s) and is not matched.
fn locust_requests_user(call: Node<'_>, cx: &Cx<'_>) -> bool {
    let mut cur = call.parent();
    while let Some(p) = cur {
        if p.kind_name() == "class_definition" {
            let Some(bases) = p.field("superclasses") else {
                return false;
            };
            let mut w = bases.walk();
            return bases.named_children(&mut w).any(|b| {
                matches!(
                    cx.imports().resolve(cx.text(b)).as_str(),
                    "locust.HttpUser" | "locust.HttpLocust"
                )
            });
        }
        cur = p.parent();
    }
    false
}

/// `socket.setdefaulttimeout(...)` anywhere in the file bounds urllib/http.client calls.
pub(crate) fn sets_default_socket_timeout(cx: &Cx<'_>) -> bool {
    cx.src.contains("setdefaulttimeout(")
}

/// A session that mounts a custom adapter (the usual way to give a session a default
/// timeout) is not reported.
fn session_has_timeout_adapter(cx: &Cx<'_>) -> bool {
    cx.src.contains(".mount(") && cx.src.contains("Timeout")
}

fn go(node: Node<'_>, cx: &mut Cx<'_>) {
    if node.kind_name() == "composite_literal" {
        let Some(t) = node.field("type") else {
            return;
        };
        if cx.imports().resolve(cx.text(t)) != "net/http.Client" {
            return;
        }
        let keys = syntax::go_literal_keys(node, cx.src);
        if keys.iter().any(|k| k == "Timeout") {
            return;
        }
        let has_transport = keys.iter().any(|k| k == "Transport");
        let (msg, conf) = if has_transport {
            (
                "`http.Client` literal without `Timeout`: transport timeouts bound connecting, not a slow response body",
                Confidence::Medium,
            )
        } else {
            (
                "`http.Client` literal without `Timeout`: requests through it can hang forever",
                Confidence::High,
            )
        };
        // `&http.Client{}`: point at the `&` when there is one, as a reader would.
        let at = node
            .parent()
            .filter(|p| p.kind_name() == "unary_expression")
            .unwrap_or(node);
        cx.hit(&META, at, "http.Client{}", msg).confidence(conf);
        return;
    }
    let (_, resolved) = cx.callee(node);
    match resolved.as_str() {
        "net/http.Get" | "net/http.Post" | "net/http.Head" | "net/http.PostForm" => {
            let name = resolved.trim_start_matches("net/");
            cx.hit(
                &META,
                node,
                name.to_string(),
                format!(
                    "`{name}` uses http.DefaultClient, which has no timeout, and takes no context"
                ),
            );
        }
        "net/http.DefaultClient.Do"
        | "net/http.DefaultClient.Get"
        | "net/http.DefaultClient.Post"
        | "net/http.DefaultClient.Head" => {
            if go_deadline::function_derives_deadline(node, cx) {
                return;
            }
            let name = resolved.trim_start_matches("net/");
            cx.hit(
                &META,
                node,
                name.to_string(),
                format!("`{name}`: http.DefaultClient has no timeout and this function sets no context deadline"),
            );
        }
        _ => {
            if !go_client_call(node, cx) {
                go_wrapper_call(node, cx);
            }
        }
    }
}

/// A request sent through an `http.Client` built in this file without `Timeout`
/// (`c := &http.Client{}` or `svc.client = &http.Client{...}`, then `c.Do(req)`,
/// `s.client.Get(url)`): the literal is reported, and so is each call that no deadline
/// bounds. `Get`/`Post`/`Head`/`PostForm` take no context. `Do(req)` is judged by the
/// request built in the same function: `http.NewRequest` carries no context;
/// `NewRequestWithContext` is bounded by a deadline derived on the way, checked across the
/// package as for gRPC calls. A request built elsewhere is not judged. Returns whether
/// the call goes through such a client.
fn go_client_call(call: Node<'_>, cx: &mut Cx<'_>) -> bool {
    if !cx.file_flag("go-http-client-literal", || cx.src.contains("http.Client{")) {
        return false;
    }
    let Some(func) = call
        .field("function")
        .filter(|f| f.kind_name() == "selector_expression")
    else {
        return false;
    };
    let method = func.field("field").map(|n| cx.text(n)).unwrap_or("");
    if !matches!(method, "Do" | "Get" | "Post" | "Head" | "PostForm") {
        return false;
    }
    let Some(recv) = func.field("operand") else {
        return false;
    };
    let recv_text = cx.text(recv);
    if cx.imports().get(recv_text).is_some() {
        return false;
    }
    let Some(client) = cx
        .bindings()
        .nodes_for_receiver(cx.root, recv_text)
        .into_iter()
        .find(|v| go_client_literal_without_timeout(*v, cx))
    else {
        return false;
    };
    if go_deadline::function_derives_deadline(call, cx) {
        return true;
    }
    let written = cx.text(func).to_string();
    let (line, _) = cx.pos(client);
    let through = format!("goes through the `http.Client` built at line {line} without `Timeout`");
    if method != "Do" {
        cx.hit(
            &META,
            call,
            written.clone(),
            format!("`{written}` {through} and takes no context: the call can hang forever"),
        )
        .confidence(Confidence::Medium);
        return true;
    }
    // `Do(req)`: the request built in this function.
    let Some(req) = positional_args(call).first().copied() else {
        return true;
    };
    if req.kind_name() != "identifier" {
        return true;
    }
    let here = syntax::enclosing_function(call, Family::Go).map(|f| f.byte_range());
    let built = cx
        .bindings()
        .nodes(cx.root, cx.text(req))
        .into_iter()
        .filter(|v| {
            syntax::enclosing_function(*v, Family::Go).map(|f| f.byte_range()) == here
                && v.kind_name() == "call_expression"
        })
        .find_map(|v| {
            let (_, r) = cx.callee(v);
            match r.as_str() {
                "net/http.NewRequest" => Some((v, None)),
                "net/http.NewRequestWithContext" => Some((v, positional_args(v).first().copied())),
                _ => None,
            }
        });
    let Some((_, ctx)) = built else {
        return true;
    };
    match ctx.map(|c| go_deadline::classify(c, cx)) {
        Some(go_deadline::Ctx::Deadline) => {}
        None | Some(go_deadline::Ctx::Background) => {
            cx.hit(
                &META,
                call,
                written.clone(),
                format!("`{written}` {through}, and its request carries no deadline: the call can hang forever"),
            )
            .confidence(Confidence::Medium);
        }
        Some(go_deadline::Ctx::Inherited) => {
            let Some(kept_if) = go_deadline::inherited_without_deadline(call, cx) else {
                return true;
            };
            cx.hit(
                &META,
                call,
                written.clone(),
                format!("`{written}` {through}, and its request's context comes from the caller with no deadline on the way: the call can hang forever"),
            )
            .confidence(Confidence::Medium)
            .requires(kept_if);
        }
    }
    true
}

/// Whether a Go `http.Client` composite literal (behind `&` or not) sets no `Timeout`.
fn go_client_literal_without_timeout(n: Node<'_>, cx: &Cx<'_>) -> bool {
    let lit = if n.kind_name() == "unary_expression" {
        n.field("operand")
    } else {
        Some(n)
    };
    let Some(lit) = lit.filter(|l| l.kind_name() == "composite_literal") else {
        return false;
    };
    lit.field("type")
        .is_some_and(|t| cx.imports().resolve(cx.text(t)) == "net/http.Client")
        && !syntax::go_literal_keys(lit, cx.src)
            .iter()
            .any(|k| k == "Timeout")
}

/// A call through a library client built on an `http.Client` without `Timeout`
/// (`c := metadata.NewClient(&http.Client{})`, then `v, err := c.Zone()`) in a function
/// that sets no deadline and passes no caller context: the request can hang forever.
/// Only calls whose error is checked (requests return errors), and not calls on the
/// `http.Client` itself (its literal is reported).
fn go_wrapper_call(call: Node<'_>, cx: &mut Cx<'_>) {
    if !cx.file_flag("go-http-client-literal", || cx.src.contains("http.Client{")) {
        return;
    }
    let Some(func) = call.field("function") else {
        return;
    };
    if func.kind_name() != "selector_expression" {
        return;
    }
    let Some(recv) = func.field("operand") else {
        return;
    };
    if recv.kind_name() != "identifier" {
        return;
    }
    let recv_name = cx.text(recv);
    if cx.imports().get(recv_name).is_some() {
        return;
    }
    // The error result is checked: `v, err := c.M()`.
    let checked = call
        .parent()
        .filter(|p| p.kind_name() == "expression_list")
        .and_then(|p| p.parent())
        .filter(|a| {
            matches!(
                a.kind_name(),
                "short_var_declaration" | "assignment_statement"
            )
        })
        .and_then(|a| a.field("left"))
        .is_some_and(|l| {
            descendants(l).any(|d| {
                d.kind_name() == "identifier" && cx.text(d).to_ascii_lowercase().contains("err")
            })
        });
    if !checked {
        return;
    }
    // The binding in scope: in the calling function, or at package level.
    let here = syntax::enclosing_function(call, Family::Go).map(|f| f.byte_range());
    let in_scope = |v: Node<'_>| match syntax::enclosing_function(v, Family::Go) {
        None => true,
        Some(f) => Some(f.byte_range()) == here,
    };
    let built_on = cx
        .bindings()
        .nodes(cx.root, recv_name)
        .into_iter()
        .find(|v| {
            in_scope(*v)
                && v.kind_name() == "call_expression"
                && syntax::arguments(*v).is_some_and(|args| {
                    let mut c = args.walk();
                    args.named_children(&mut c).any(|a| {
                        go_client_literal_without_timeout(a, cx)
                            || (a.kind_name() == "identifier"
                                && cx.bindings().nodes(cx.root, cx.text(a)).iter().any(|b| {
                                    in_scope(*b) && go_client_literal_without_timeout(*b, cx)
                                }))
                    })
                })
        });
    let Some(built) = built_on else { return };
    // A context handed in (the caller's deadline may bound it) or derived here.
    let passes_ctx = syntax::arguments(call).is_some_and(|args| {
        let mut c = args.walk();
        args.named_children(&mut c).any(|a| {
            let t = cx.text(a);
            (t.contains("ctx") || t.contains("Context"))
                && go_deadline::classify(a, cx) != go_deadline::Ctx::Background
        })
    });
    if passes_ctx || go_deadline::function_derives_deadline(call, cx) {
        return;
    }
    let written = cx.text(func).to_string();
    let (line, _) = cx.pos(built);
    cx.hit(
        &META,
        call,
        written.clone(),
        format!(
            "`{written}` goes through a client built at line {line} on an `http.Client` without `Timeout`, and no deadline bounds it: the call can hang forever"
        ),
    )
    .confidence(Confidence::Medium);
}

fn js(call: Node<'_>, cx: &mut Cx<'_>) {
    if js_is_browser_file(cx) {
        return;
    }
    let (written, resolved) = cx.callee(call);
    if call.kind_name() == "new_expression" {
        return;
    }
    let args = positional_args(call);
    let obj_has = |n: Option<Node<'_>>, keys: &[&str]| -> Option<bool> {
        let n = n?;
        if n.kind_name() != "object" {
            return None; // not a literal: unknown
        }
        let ks = syntax::js_object_keys(n, cx.src)?;
        Some(ks.iter().any(|k| keys.contains(&k.as_str())))
    };
    // fetch(url, init)
    if written == "fetch"
        || resolved == "node-fetch"
        || resolved == "undici.fetch"
        || resolved == "cross-fetch"
    {
        let has = match args.get(1) {
            None => Some(false),
            Some(o) => obj_has(Some(*o), &["signal", "timeout"]),
        };
        if has == Some(false) && !raced_with_timer(call, cx) {
            cx.hit(&META, call, "fetch", "`fetch` without an abort signal: the request can hang for minutes (undici's 300 s defaults) or forever")
                .requires(Requirement::OutsideBrowserApp);
        }
        return;
    }
    // axios
    let is_axios = resolved == "axios" || resolved.starts_with("axios.");
    if is_axios {
        let method = resolved.strip_prefix("axios.").unwrap_or("");
        if axios_defaults_set(cx, "axios") {
            return;
        }
        let config_idx = match method {
            "" | "request" => Some(0),
            "get" | "delete" | "head" | "options" => Some(1),
            "post" | "put" | "patch" => Some(2),
            "create" => Some(0),
            _ => None,
        };
        let Some(idx) = config_idx else { return };
        let has = match args.get(idx) {
            None => Some(false),
            Some(o) => obj_has(Some(*o), &["timeout", "signal"]),
        };
        if has == Some(false) {
            let name = if method.is_empty() {
                "axios".to_string()
            } else {
                format!("axios.{method}")
            };
            cx.hit(
                &META,
                call,
                name.clone(),
                format!("`{name}` without `timeout`: axios waits forever by default"),
            )
            .requires(Requirement::OutsideBrowserApp);
        }
        return;
    }
    // got
    if resolved == "got" || resolved.starts_with("got.") {
        let method = resolved.strip_prefix("got.").unwrap_or("");
        if !["", "get", "post", "put", "patch", "delete", "head"].contains(&method) {
            return;
        }
        let has = match args.get(1) {
            None => Some(false),
            Some(o) => obj_has(Some(*o), &["timeout", "signal"]),
        };
        if has == Some(false) {
            cx.hit(
                &META,
                call,
                resolved.clone(),
                format!("`{resolved}` without `timeout`: got has no timeout by default"),
            )
            .requires(Requirement::OutsideBrowserApp);
        }
        return;
    }
    // The callback `request` library and its promise wrappers: no timeout unless one is
    // passed (`timeout` in the options, or a `request.defaults({ timeout })` instance).
    let imported = cx
        .imports()
        .get(written.split('.').next().unwrap_or(""))
        .is_some();
    if let Some(name) = request_library_call(&resolved).filter(|_| imported) {
        if cx.src.contains(".defaults(") && cx.src.contains("timeout") {
            return;
        }
        // An options object we cannot read (a variable) may carry the timeout.
        // `var options = { uri, method }; request(options, cb)` or `var url = base + path;
        // request.get(url)`: a value built in the same function, and not touched afterwards,
        // is read like an inline one.
        let first = args.first().map(|a| {
            if a.kind_name() == "identifier" {
                js_local_value(call, cx.text(*a), cx.src).unwrap_or(*a)
            } else {
                *a
            }
        });
        let url_first = matches!(
            first.map(|a| a.kind_name()),
            Some("string" | "template_string" | "binary_expression")
        );
        let options = args
            .iter()
            .find(|a| a.kind_name() == "object")
            .copied()
            .or(first.filter(|a| a.kind_name() == "object"));
        // A variable we cannot follow (a parameter) but named as an address (`url`,
        // `addressLink`, `targetUri`) is a URL, not an options object: medium confidence.
        let url_named = !url_first
            && first.is_some_and(|a| {
                let n = cx.text(a).to_ascii_lowercase();
                a.kind_name() == "identifier"
                    && ["url", "uri", "link", "href"]
                        .iter()
                        .any(|s| n.ends_with(s))
            });
        let has = match options {
            Some(o) => obj_has(Some(o), &["timeout"]),
            None if url_first || url_named => Some(false),
            None => None,
        };
        if has == Some(false) {
            let hit = cx.hit(
                &META,
                call,
                name.clone(),
                format!("`{name}` without `timeout`: the `request` library waits for a hung server forever"),
            );
            hit.requires(Requirement::OutsideBrowserApp);
            if url_named && options.is_none() {
                hit.confidence(Confidence::Medium);
            }
        }
        return;
    }
    // node http/https, imported as such (a local `const http = axios.create()` is not)
    let head = written.split('.').next().unwrap_or("");
    if matches!(
        resolved.as_str(),
        "http.request" | "http.get" | "https.request" | "https.get"
    ) && (cx.imports().get(head).is_some() || requires_node_http(cx))
    {
        let opts = args.iter().find(|a| a.kind_name() == "object").copied();
        let has = obj_has(opts, &["timeout", "signal"]).unwrap_or(false);
        let func = syntax::enclosing_function(call, Family::Js);
        let scope_text = func.map(|f| cx.text(f)).unwrap_or(cx.src);
        if !has && !scope_text.contains(".setTimeout(") && !scope_text.contains("'timeout'") {
            cx.hit(
                &META,
                call,
                resolved.clone(),
                format!("`{resolved}` without a timeout: a hung server holds the socket forever"),
            );
        }
        return;
    }
    // Calls on an axios instance created without timeout are reported at `axios.create`.
    let _ = string_value;
}

/// The value bound to `name` by the only declaration of `name` in the call's own function,
/// or in a function enclosing it (a callback reading its parent's `options`), made before
/// the call, when nothing assigns it, sets a field on it or passes it elsewhere (`name =
/// ...`, `name.timeout = ...`, `name[k] = ...`, `Object.assign(name, ...)`): before the call
/// in its own function, anywhere after the declaration when it is captured.
fn js_local_value<'a>(call: Node<'a>, name: &str, src: &'a str) -> Option<Node<'a>> {
    let own = syntax::enclosing_function(call, Family::Js)?;
    let mut scope = own;
    let mut decl = None;
    for _ in 0..4 {
        let mut found = None;
        for d in syntax::descendants(scope).filter(|n| n.kind_name() == "variable_declarator") {
            // Declarations inside other functions at this level are theirs (a sibling
            // callback's own `options`), not this scope's.
            if d.field("name").map(|n| syntax::text(n, src)) != Some(name)
                || syntax::enclosing_function(d, Family::Js).is_none_or(|f| f.id() != scope.id())
            {
                continue;
            }
            if found.is_some() {
                return None; // declared twice: which one reaches the call is not known
            }
            found = Some(d);
        }
        if found.is_some() {
            decl = found;
            break;
        }
        scope = syntax::enclosing_function(scope.parent()?, Family::Js)?;
    }
    let decl = decl?;
    let value = decl.field("value")?;
    if decl.end_byte() > call.start_byte() {
        return None;
    }
    let from = decl.end_byte();
    let to = if scope.id() == own.id() {
        call.start_byte()
    } else {
        scope.end_byte()
    };
    let is_name = |n: Node<'_>| syntax::text(n, src) == name;
    let touched = syntax::descendants(scope)
        .filter(|n| n.start_byte() >= from && n.end_byte() <= to && n.id() != call.id())
        .any(|n| match n.kind_name() {
            // options = ..., options.timeout = ..., options['timeout'] = ...
            "assignment_expression" | "augmented_assignment_expression" => {
                n.field("left").is_some_and(|l| {
                    is_name(l)
                        || (matches!(l.kind_name(), "member_expression" | "subscript_expression")
                            && l.field("object").is_some_and(is_name))
                })
            }
            // handed to a function that may add fields: Object.assign(options, ...), extend(options)
            "call_expression" => syntax::positional_args(n)
                .first()
                .is_some_and(|a| is_name(*a)),
            _ => false,
        } && !js_shadowed_below(n, scope, name, src));
    (!touched).then_some(value)
}

/// `name` at `n` is another variable than `scope`'s: a function between them declares its
/// own `name` (a `var`/`let`/`const` or a parameter).
fn js_shadowed_below(n: Node<'_>, scope: Node<'_>, name: &str, src: &str) -> bool {
    let mut f = syntax::enclosing_function(n, Family::Js);
    for _ in 0..8 {
        let Some(fi) = f else { return false };
        if fi.id() == scope.id() {
            return false;
        }
        let param = fi.field("parameters").is_some_and(|p| {
            syntax::descendants(p)
                .any(|x| x.kind_name() == "identifier" && syntax::text(x, src) == name)
        }) || fi
            .field("parameter")
            .is_some_and(|p| syntax::text(p, src) == name);
        let declared = syntax::descendants(fi).any(|d| {
            d.kind_name() == "variable_declarator"
                && d.field("name")
                    .is_some_and(|x| syntax::text(x, src) == name)
                && syntax::enclosing_function(d, Family::Js).is_some_and(|e| e.id() == fi.id())
        });
        if param || declared {
            return true;
        }
        f = fi
            .parent()
            .and_then(|p| syntax::enclosing_function(p, Family::Js));
    }
    false
}

/// `request(...)`, `request.get(...)` (and the same on `request-promise`,
/// `request-promise-native`, `postman-request`): the callee name to report.
fn request_library_call(resolved: &str) -> Option<String> {
    const MODULES: [&str; 4] = [
        "request",
        "request-promise",
        "request-promise-native",
        "postman-request",
    ];
    const METHODS: [&str; 8] = [
        "get", "post", "put", "patch", "del", "delete", "head", "options",
    ];
    let (module, method) = match resolved.split_once('.') {
        Some((m, f)) => (m, Some(f)),
        None => (resolved, None),
    };
    if !MODULES.contains(&module) || method.is_some_and(|f| !METHODS.contains(&f)) {
        return None;
    }
    Some(match method {
        Some(f) => format!("request.{f}"),
        None => "request".to_string(),
    })
}

/// The file loads node's `http`/`https` somewhere (`const http = secure ? require('https')
/// : require('http')` inside a function is not in the import table).
fn requires_node_http(cx: &Cx<'_>) -> bool {
    ["http", "https", "node:http", "node:https"]
        .iter()
        .any(|m| {
            cx.src.contains(&format!("require('{m}')"))
                || cx.src.contains(&format!("require(\"{m}\")"))
        })
}

/// `Promise.race([fetch(...), new Promise((r) => setTimeout(r, ms))])`: the caller waits at
/// most `ms`, whatever the request does.
fn raced_with_timer(call: Node<'_>, cx: &Cx<'_>) -> bool {
    let mut cur = call.parent();
    for _ in 0..6 {
        let Some(p) = cur else { return false };
        if p.kind_name() == "call_expression" {
            let (written, _) = cx.callee(p);
            if written == "Promise.race" {
                return cx.text(p).contains("setTimeout");
            }
        }
        if syntax::function_kinds(Family::Js).contains(&p.kind_name()) {
            return false;
        }
        cur = p.parent();
    }
    false
}

/// `axios.defaults.timeout = ...` (or `instance.defaults.timeout`) in the file.
fn axios_defaults_set(cx: &Cx<'_>, name: &str) -> bool {
    cx.src.contains(&format!("{name}.defaults.timeout")) || cx.src.contains("defaults.timeout")
}

fn java(node: Node<'_>, cx: &mut Cx<'_>) {
    match node.kind_name() {
        "object_creation_expression" => {
            let Some(t) = node.field("type") else {
                return;
            };
            let ty = cx.text(t);
            let args = node
                .field("arguments")
                .map(|a| a.named_child_count())
                .unwrap_or(0);
            if ty == "RestTemplate"
                && args == 0
                && !cx.src.contains("setReadTimeout")
                && !cx.src.contains("setConnectTimeout")
            {
                cx.hit(&META, node, "new RestTemplate()", "`new RestTemplate()` has no connect or read timeout: calls through it can hang forever");
            }
        }
        "method_invocation" => {
            java_injected_rest_template_call(node, cx);
            // Only the outermost call of a fluent chain.
            if node.parent().is_some_and(|p| {
                p.kind_name() == "method_invocation" && p.field("object") == Some(node)
            }) {
                return;
            }
            let chain = syntax::callee_text(node, cx.src);
            if chain.starts_with("HttpRequest.newBuilder(")
                && chain.ends_with(".build")
                && !chain.contains(".timeout(")
            {
                cx.hit(&META, node, "HttpRequest", "`HttpRequest` built without `.timeout(...)`: java.net.http waits forever for the response");
            } else if (chain == "HttpClients.createDefault" || chain == "HttpClients.createSystem")
                && !cx.src.contains("setResponseTimeout")
                && !cx.src.contains("setSocketTimeout")
            {
                cx.hit(&META, node, chain.clone(), format!("`{chain}()` has no socket/response timeout: a hung server blocks the calling thread"));
            } else if (chain.starts_with("WebClient.create")
                || (chain.starts_with("WebClient.builder") && !chain.contains(".clientConnector(")))
                && !cx.src.contains(".timeout(")
                && !cx.src.contains("responseTimeout")
                && !cx.src.contains("ReadTimeoutHandler")
            {
                cx.hit(&META, node, "WebClient", "`WebClient` with no response timeout, and no `.timeout(...)` on its calls in this file: Reactor Netty waits for a response forever")
                    .confidence(Confidence::Medium);
            } else if (chain.starts_with("RestClient.create")
                || (chain.starts_with("RestClient.builder") && !chain.contains(".requestFactory(")))
                && !["eadTimeout", "esponseTimeout", "ocketTimeout"]
                    .iter()
                    .any(|t| cx.src.contains(t))
            {
                cx.hit(&META, node, "RestClient", "`RestClient` with no request factory and no read timeout: its default factories wait for a response forever")
                    .confidence(Confidence::Medium);
            }
        }
        _ => {}
    }
}

/// The `RestTemplate` methods that send a request.
const REST_TEMPLATE_CALLS: &[&str] = &[
    "delete",
    "exchange",
    "execute",
    "getForEntity",
    "getForObject",
    "headForHeaders",
    "optionsForAllow",
    "patchForObject",
    "postForEntity",
    "postForLocation",
    "postForObject",
    "put",
];

/// A request sent through a `RestTemplate` field or parameter of this file that the file
/// does not build (Spring injects it). It is reported (medium) only when the component
/// builds its `RestTemplate` with a timeout-less `new RestTemplate()` (a finding of this
/// rule, resolved after every file was read). A file that builds or configures one
/// itself, or picks a bean by `@Qualifier`, is not judged: the injected bean is unknown.
fn java_injected_rest_template_call(node: Node<'_>, cx: &mut Cx<'_>) {
    let Some(name) = node.field("name") else {
        return;
    };
    let method = cx.text(name);
    if !REST_TEMPLATE_CALLS.contains(&method) {
        return;
    }
    let Some(object) = node.field("object") else {
        return;
    };
    let recv = cx.text(object);
    let field = recv.strip_prefix("this.").unwrap_or(recv);
    if field.is_empty() || !field.chars().all(|c| c.is_alphanumeric() || c == '_') {
        return;
    }
    if [
        "new RestTemplate",
        "RestTemplateBuilder",
        "@Qualifier",
        "setReadTimeout",
        "setConnectTimeout",
    ]
    .iter()
    .any(|t| cx.src.contains(t))
    {
        return;
    }
    if !java_declares_type(cx.src, "RestTemplate", field) {
        return;
    }
    let subject = format!("{field}.{method}");
    cx.hit(
        &META,
        node,
        subject.clone(),
        format!("`{subject}(...)` goes through the injected `RestTemplate`, which this component builds with `new RestTemplate()` (no connect or read timeout): a hung upstream holds this thread forever"),
    )
    .confidence(Confidence::Medium)
    .requires(Requirement::ComponentHasSubject {
        rule: META.id,
        subject: "new RestTemplate()",
    });
}

/// Whether `src` declares `name` with type `ty` (`RestTemplate rt;`, `RestTemplate rt,`,
/// `RestTemplate rt)`, `RestTemplate rt =`): a field, parameter or local.
fn java_declares_type(src: &str, ty: &str, name: &str) -> bool {
    src.match_indices(ty).any(|(i, _)| {
        let before_ok = src[..i]
            .chars()
            .next_back()
            .is_none_or(|c| !(c.is_alphanumeric() || c == '_' || c == '.'));
        let rest = &src[i + ty.len()..];
        let after = rest.trim_start_matches([' ', '\t', '\n', '\r']);
        if !before_ok || after.len() == rest.len() {
            return false;
        }
        let Some(tail) = after.strip_prefix(name) else {
            return false;
        };
        tail.trim_start()
            .chars()
            .next()
            .is_some_and(|c| matches!(c, ';' | ',' | ')' | '='))
    })
}
