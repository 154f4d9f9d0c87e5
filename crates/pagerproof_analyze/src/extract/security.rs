//! RATE-LIMIT and AUTH evidence.
//!
//! Rate limiting: slowapi, flask-limiter, fastapi-limiter, django-ratelimit, DRF
//! throttling; golang.org/x/time/rate, tollbooth, ulule/limiter, uber ratelimit, httprate,
//! echo/fiber limiter middleware, go-grpc-middleware ratelimit; express-rate-limit,
//! rate-limiter-flexible, @fastify/rate-limit, koa-ratelimit, @nestjs/throttler,
//! express-slow-down; resilience4j RateLimiter, Bucket4j, Guava RateLimiter.
//!
//! Authentication: flask-login, flask-jwt-extended, Flask-HTTPAuth, authlib, FastAPI
//! security schemes and `Depends(get_current_user)`-style dependencies, Django
//! `login_required`/mixins, DRF permission and authentication classes, PyJWT/python-jose
//! token verification; golang-jwt, go-oidc, casbin, echo/gin/fiber auth middleware,
//! go-grpc-middleware auth; passport, express-jwt, jsonwebtoken `verify`, jose, Nest
//! guards, @fastify/jwt; Spring Security, JAX-RS `@RolesAllowed`, jjwt, Dropwizard auth,
//! Shiro, Keycloak; and server code reading the `Authorization` header.

use tree_sitter::Node;

use crate::extract::common::{self, Lib, norm_key};
use crate::lang::Family;
use crate::lang::NodeExt;
use crate::lang::syntax::{self, string_value};
use crate::libs;
use crate::rule::Cx;
use crate::signals::SignalKind;

pub static RATE_LIMIT: &[Lib] = libs![
    Python "slowapi" => RateLimit "slowapi";
    Python "flask_limiter" => RateLimit "flask-limiter";
    Python "fastapi_limiter" => RateLimit "fastapi-limiter";
    Python "django_ratelimit" => RateLimit "django-ratelimit";
    Python "ratelimit.decorators.ratelimit" => RateLimit "django-ratelimit";
    Python "rest_framework.throttling" => RateLimit "DRF throttling";
    Python "rest_framework.decorators.throttle_classes" => RateLimit "DRF throttling";
    Python "aiohttp_ratelimiter" => RateLimit "aiohttp-ratelimiter";
    Python "limits" => RateLimit "limits";
    Python "ratelimit.RateLimitMiddleware" => RateLimit "asgi-ratelimit";
    Go "golang.org/x/time/rate" => RateLimit "golang.org/x/time/rate";
    Go "github.com/didip/tollbooth" => RateLimit "tollbooth";
    Go "github.com/ulule/limiter" => RateLimit "ulule/limiter";
    Go "go.uber.org/ratelimit" => RateLimit "uber-go/ratelimit";
    Go "github.com/go-chi/httprate" => RateLimit "httprate";
    Go "github.com/sethvargo/go-limiter" => RateLimit "go-limiter";
    Go "github.com/labstack/echo/v4/middleware.RateLimiter" => RateLimit "echo RateLimiter";
    Go "github.com/labstack/echo/v4/middleware.NewRateLimiterMemoryStore" => RateLimit "echo RateLimiter";
    Go "github.com/gofiber/fiber/v2/middleware/limiter" => RateLimit "fiber limiter";
    Go "github.com/gofiber/fiber/v3/middleware/limiter" => RateLimit "fiber limiter";
    Go "github.com/grpc-ecosystem/go-grpc-middleware/ratelimit" => RateLimit "go-grpc-middleware ratelimit";
    Go "github.com/grpc-ecosystem/go-grpc-middleware/v2/interceptors/ratelimit" => RateLimit "go-grpc-middleware ratelimit";
    Go "github.com/juju/ratelimit" => RateLimit "juju/ratelimit";
    Go "github.com/throttled/throttled" => RateLimit "throttled";
    Js "express-rate-limit" => RateLimit "express-rate-limit";
    Js "rate-limiter-flexible" => RateLimit "rate-limiter-flexible";
    Js "@fastify/rate-limit" => RateLimit "@fastify/rate-limit";
    Js "fastify-rate-limit" => RateLimit "fastify-rate-limit";
    Js "koa-ratelimit" => RateLimit "koa-ratelimit";
    Js "@nestjs/throttler" => RateLimit "@nestjs/throttler";
    Js "express-slow-down" => RateLimit "express-slow-down";
    Js "express-brute" => RateLimit "express-brute";
    Java "io.github.resilience4j.ratelimiter" => RateLimit "resilience4j RateLimiter";
    Java "io.github.bucket4j" => RateLimit "Bucket4j";
    Java "com.github.bucket4j" => RateLimit "Bucket4j";
    Java "com.giffing.bucket4j" => RateLimit "Bucket4j";
    Java "com.google.common.util.concurrent.RateLimiter" => RateLimit "Guava RateLimiter";
    Java "es.moki.ratelimitj" => RateLimit "RateLimitJ";
];

pub static AUTH: &[Lib] = libs![
    Python "flask_login.login_required" => Auth "flask-login login_required";
    Python "flask_login.LoginManager" => Auth "flask-login";
    Python "flask_jwt_extended" => Auth "flask-jwt-extended";
    Python "flask_httpauth" => Auth "Flask-HTTPAuth";
    Python "flask_security" => Auth "Flask-Security";
    Python "authlib" => Auth "authlib";
    Python "fastapi.security" => Auth "FastAPI security scheme";
    Python "fastapi_users" => Auth "fastapi-users";
    Python "jwt.decode" => Auth "PyJWT decode";
    Python "jose.jwt.decode" => Auth "python-jose decode";
    Python "django.contrib.auth.decorators" => Auth "Django auth decorator";
    Python "django.contrib.auth.mixins" => Auth "Django auth mixin";
    Python "django.contrib.admin.views.decorators.staff_member_required" => Auth "Django staff_member_required";
    Python "rest_framework.permissions.IsAuthenticated" => Auth "DRF IsAuthenticated";
    Python "rest_framework.permissions.IsAdminUser" => Auth "DRF IsAdminUser";
    Python "rest_framework.permissions.IsAuthenticatedOrReadOnly" => Auth "DRF IsAuthenticatedOrReadOnly";
    Python "rest_framework.permissions.DjangoModelPermissions" => Auth "DRF model permissions";
    Python "rest_framework.decorators.permission_classes" => Auth "DRF permission_classes";
    Python "rest_framework.decorators.authentication_classes" => Auth "DRF authentication_classes";
    Python "rest_framework.authentication" => Auth "DRF authentication";
    Python "rest_framework_simplejwt" => Auth "djangorestframework-simplejwt";
    Python "oauth2_provider" => Auth "django-oauth-toolkit";
    Python "aiohttp_security" => Auth "aiohttp-security";
    Python "starlette.middleware.authentication.AuthenticationMiddleware" => Auth "Starlette AuthenticationMiddleware";
    Python "starlette.authentication.requires" => Auth "Starlette requires";
    Python "google.oauth2.id_token.verify_oauth2_token" => Auth "Google ID token verification";
    Python "firebase_admin.auth.verify_id_token" => Auth "Firebase ID token verification";
    Python "keycloak" => Auth "Keycloak";
    Go "github.com/golang-jwt/jwt" => Auth "golang-jwt";
    Go "github.com/dgrijalva/jwt-go" => Auth "jwt-go";
    Go "github.com/form3tech-oss/jwt-go" => Auth "jwt-go";
    Go "github.com/lestrrat-go/jwx" => Auth "jwx";
    Go "github.com/coreos/go-oidc" => Auth "go-oidc";
    Go "github.com/auth0/go-jwt-middleware" => Auth "go-jwt-middleware";
    Go "github.com/casbin/casbin" => Auth "casbin";
    Go "github.com/labstack/echo/v4/middleware.JWT" => Auth "echo JWT middleware";
    Go "github.com/labstack/echo/v4/middleware.KeyAuth" => Auth "echo KeyAuth middleware";
    Go "github.com/labstack/echo/v4/middleware.BasicAuth" => Auth "echo BasicAuth middleware";
    Go "github.com/labstack/echo-jwt" => Auth "echo-jwt";
    Go "github.com/gin-gonic/gin.BasicAuth" => Auth "gin BasicAuth";
    Go "github.com/appleboy/gin-jwt" => Auth "gin-jwt";
    Go "github.com/gofiber/jwt" => Auth "fiber jwt";
    Go "github.com/gofiber/contrib/jwt" => Auth "fiber jwt";
    Go "github.com/gofiber/fiber/v2/middleware/basicauth" => Auth "fiber basicauth";
    Go "github.com/gofiber/fiber/v2/middleware/keyauth" => Auth "fiber keyauth";
    Go "github.com/grpc-ecosystem/go-grpc-middleware/auth" => Auth "go-grpc-middleware auth";
    Go "github.com/grpc-ecosystem/go-grpc-middleware/v2/interceptors/auth" => Auth "go-grpc-middleware auth";
    Go "github.com/go-chi/jwtauth" => Auth "jwtauth";
    Go "firebase.google.com/go/auth" => Auth "Firebase auth";
    Js "passport" => Auth "passport";
    Js "express-jwt" => Auth "express-jwt";
    Js "jsonwebtoken.verify" => Auth "jsonwebtoken verify";
    Js "jose.jwtVerify" => Auth "jose jwtVerify";
    Js "express-openid-connect" => Auth "express-openid-connect";
    Js "express-oauth2-jwt-bearer" => Auth "express-oauth2-jwt-bearer";
    Js "@nestjs/passport" => Auth "@nestjs/passport";
    Js "@nestjs/jwt" => Auth "@nestjs/jwt";
    Js "express-basic-auth" => Auth "express-basic-auth";
    Js "koa-jwt" => Auth "koa-jwt";
    Js "koa-passport" => Auth "koa-passport";
    Js "@fastify/jwt" => Auth "@fastify/jwt";
    Js "fastify-jwt" => Auth "fastify-jwt";
    Js "@fastify/auth" => Auth "@fastify/auth";
    Js "@fastify/basic-auth" => Auth "@fastify/basic-auth";
    Js "jwks-rsa" => Auth "jwks-rsa";
    Js "keycloak-connect" => Auth "keycloak-connect";
    Js "@clerk/express" => Auth "Clerk";
    Js "next-auth" => Auth "next-auth";
    Java "org.springframework.security" => Auth "Spring Security";
    Java "javax.annotation.security" => Auth "@RolesAllowed";
    Java "jakarta.annotation.security" => Auth "@RolesAllowed";
    Java "io.jsonwebtoken" => Auth "jjwt";
    Java "com.auth0.jwt" => Auth "java-jwt";
    Java "com.nimbusds.jwt" => Auth "Nimbus JOSE+JWT";
    Java "io.dropwizard.auth" => Auth "Dropwizard auth";
    Java "org.apache.shiro" => Auth "Apache Shiro";
    Java "org.keycloak" => Auth "Keycloak";
    Java "io.quarkus.security" => Auth "Quarkus security";
    Java "io.micronaut.security" => Auth "Micronaut security";
];

/// Names of FastAPI dependencies that authenticate (`Depends(get_current_user)`).
fn auth_dependency(name: &str) -> bool {
    let k = norm_key(name);
    [
        "currentuser",
        "auth",
        "token",
        "verify",
        "apikey",
        "principal",
        "permission",
        "jwt",
        "login",
        "requireuser",
        "requireadmin",
        "authorize",
    ]
    .iter()
    .any(|w| k.contains(w))
}

/// Annotations and decorators that require an authenticated caller, whatever library
/// defines them (Spring's and Nacos's `@Secured`, Shiro's `@RequiresRoles`, Flask's
/// `login_required`, routing-controllers' `@Authorized`).
const AUTH_MARKS: &[&str] = &[
    "secured",
    "rolesallowed",
    "preauthorize",
    "postauthorize",
    "requirespermissions",
    "requiresroles",
    "requiresauthentication",
    "requiresuser",
    "authenticated",
    "authorized",
    "authorize",
    "loginrequired",
    "jwtrequired",
    "authrequired",
    "tokenrequired",
    "requiresauth",
    "requireauth",
    "permissionrequired",
    "adminrequired",
    "staffmemberrequired",
    "requiresscope",
    "requireslogin",
];

fn auth_mark(cx: &mut Cx<'_>, node: Node<'_>, name: &str) {
    let simple = name.rsplit('.').next().unwrap_or(name);
    let k = norm_key(simple);
    if AUTH_MARKS.contains(&k.as_str()) {
        cx.signal(SignalKind::Auth, node, format!("@{simple}"));
    }
}

/// Special cases beyond the tables; called for every node `libraries.rs` visits.
pub fn special(node: Node<'_>, cx: &mut Cx<'_>) {
    match (cx.family(), node.kind_name()) {
        (Family::Java, "annotation" | "marker_annotation") => {
            if let Some(n) = node.field("name") {
                let t = cx.text(n);
                auth_mark(cx, node, t);
            }
        }
        (Family::Python | Family::Js, "decorator") => {
            if let Some(inner) = node.named_child(0) {
                let target = if matches!(inner.kind_name(), "call" | "call_expression") {
                    inner.field("function").unwrap_or(inner)
                } else {
                    inner
                };
                let t = cx.text(target);
                auth_mark(cx, node, t);
            }
        }
        (Family::Python, "call") => {
            py_depends(node, cx);
            header_read(node, cx);
            custom_rate_limit(node, cx);
        }
        (Family::Python, "assignment") => py_class_attrs(node, cx),
        (Family::Python, "attribute") if cx.text(node) == "request.authorization" => {
            cx.signal(SignalKind::Auth, node, "reads request.authorization");
        }
        (Family::Go, "call_expression") => {
            header_read(node, cx);
            custom_rate_limit(node, cx);
            if common::call_name(cx, node) == "BasicAuth"
                && common::args(node).is_empty()
                && cx.imports().has_module("net/http")
            {
                cx.signal(SignalKind::Auth, node, "r.BasicAuth()");
            }
        }
        (Family::Js, "call_expression") => {
            header_read(node, cx);
            js_guards(node, cx);
        }
        (Family::Js, "member_expression") => {
            // `req.headers.authorization`.
            if let Some(p) = node.field("property")
                && cx.text(p).eq_ignore_ascii_case("authorization")
                && node
                    .field("object")
                    .is_some_and(|o| cx.text(o).ends_with("headers"))
            {
                cx.signal(SignalKind::Auth, node, "reads the Authorization header");
            }
        }
        (Family::Js, "subscript_expression") => {
            if let Some(i) = node.field("index")
                && string_value(i, cx.src).is_some_and(|s| s.eq_ignore_ascii_case("authorization"))
                && node
                    .field("object")
                    .is_some_and(|o| cx.text(o).ends_with("headers"))
            {
                cx.signal(SignalKind::Auth, node, "reads the Authorization header");
            }
        }
        (Family::Java, "method_invocation") => {
            header_read(node, cx);
            custom_rate_limit(node, cx);
        }
        _ => {}
    }
}

/// A project's own throttling called from its code: a call of a function or into a module
/// whose name says it rate-limits (`authenticate_with_throttling(...)` from
/// `account.throttling`, `rateLimitMiddleware(next)`, `rate_limit.get_middleware`).
fn custom_rate_limit(call: Node<'_>, cx: &mut Cx<'_>) {
    let name = common::call_name(cx, call);
    let says = |s: &str| common::norm_contains(s, &["throttl", "ratelimit"]);
    // Classes named after the concept (`UpdateRateLimitGroupForm`) are data, not limits.
    let class_like = name.starts_with(|c: char| c.is_ascii_uppercase())
        && ![
            "Middleware",
            "Limiter",
            "Throttle",
            "Throttler",
            "Throttling",
            "Interceptor",
        ]
        .iter()
        .any(|s| name.ends_with(s));
    if says(name) && !class_like {
        cx.signal(
            SignalKind::RateLimit,
            call,
            format!("{name}() (own throttling)"),
        );
        return;
    }
    let head = common::head_name(cx, call);
    if let Some(m) = cx.imports().get(head)
        && m.rsplit(['.', '/']).take(2).any(says)
    {
        cx.signal(SignalKind::RateLimit, call, format!("{m} (own throttling)"));
        return;
    }
    // Passed as middleware: `app.add_middleware(rate_limit.get_middleware)`.
    for a in common::args(call) {
        if !matches!(
            a.kind_name(),
            "identifier" | "attribute" | "selector_expression"
        ) {
            continue;
        }
        let t = cx.text(a);
        let h = t.split('.').next().unwrap_or(t);
        if cx.imports().get(h).is_some() && says(t) {
            cx.signal(SignalKind::RateLimit, call, format!("{t} (own throttling)"));
            return;
        }
    }
}

/// `Depends(get_current_user)` / `Security(verify_token, scopes=[...])`.
fn py_depends(call: Node<'_>, cx: &mut Cx<'_>) {
    if !matches!(common::call_name(cx, call), "Depends" | "Security") {
        return;
    }
    let q = common::qualified(cx, call).unwrap_or_default();
    if !matches!(
        q.as_str(),
        "fastapi.Depends" | "fastapi.Security" | "fastapi.params.Depends"
    ) {
        return;
    }
    if let Some(a) = common::args(call).first() {
        let name = cx.text(*a);
        if auth_dependency(name.rsplit('.').next().unwrap_or(name)) {
            cx.signal(SignalKind::Auth, call, format!("Depends({name})"));
        }
    }
}

/// Server code reading the Authorization header: `request.headers.get("Authorization")`,
/// `r.Header.Get("Authorization")`, `req.get('authorization')`, `request.getHeader(...)`.
/// Setting it on an outbound request (`Header.Set`, `headers={...}`) does not count.
fn header_read(call: Node<'_>, cx: &mut Cx<'_>) {
    let name = common::call_name(cx, call);
    if !matches!(
        name,
        "get" | "Get" | "getHeader" | "header" | "GetHeader" | "get_header" | "Header"
    ) {
        return;
    }
    let Some(first) = common::args(call).first().copied() else {
        return;
    };
    let Some(s) = string_value(first, cx.src) else {
        return;
    };
    if !(s.eq_ignore_ascii_case("authorization") || s == "HTTP_AUTHORIZATION") {
        return;
    }
    let (written, _) = cx.callee(call);
    let recv = syntax::receiver(&written)
        .unwrap_or("")
        .to_ascii_lowercase();
    let server_side = recv.contains("header")
        || recv.contains("meta")
        || recv.ends_with("req")
        || recv.ends_with("request")
        || recv.ends_with("ctx")
        || recv == "c"
        || recv == "r";
    if server_side && !recv.contains("response") && !recv.contains("resp") {
        cx.signal(SignalKind::Auth, call, "reads the Authorization header");
    }
}

/// DRF class attributes: `permission_classes = [IsAuthenticated]`,
/// `throttle_classes = [UserRateThrottle]`.
fn py_class_attrs(node: Node<'_>, cx: &mut Cx<'_>) {
    let Some(left) = node.field("left") else {
        return;
    };
    let Some(right) = node.field("right") else {
        return;
    };
    let target = cx.text(left);
    let value = cx.text(right);
    match target {
        "permission_classes" | "authentication_classes"
            if !value.contains("AllowAny") && value.len() > 2 =>
        {
            cx.signal(SignalKind::Auth, node, format!("{target} = {value}"));
        }
        "throttle_classes" if value.len() > 2 => {
            cx.signal(SignalKind::RateLimit, node, format!("{target} = {value}"));
        }
        _ => {}
    }
}

/// Nest `@UseGuards(AuthGuard('jwt'))`, `@UseGuards(JwtAuthGuard)`, `@Throttle(...)`.
fn js_guards(call: Node<'_>, cx: &mut Cx<'_>) {
    let name = common::call_name(cx, call);
    if name != "UseGuards" || call.parent().is_none_or(|p| p.kind_name() != "decorator") {
        return;
    }
    if name == "UseGuards" && cx.imports().has_module("@nestjs/common") {
        for a in common::args(call) {
            let t = cx.text(a);
            let k = norm_key(t);
            if k.contains("auth") || k.contains("jwt") || k.contains("role") {
                cx.signal(SignalKind::Auth, call, format!("@UseGuards({t})"));
                return;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::extract::testutil::signals;
    use crate::signals::SignalKind::*;

    fn lines(
        s: &[(crate::signals::SignalKind, u32, String)],
        k: crate::signals::SignalKind,
    ) -> Vec<u32> {
        let mut v: Vec<u32> = s.iter().filter(|x| x.0 == k).map(|x| x.1).collect();
        v.dedup();
        v
    }

    #[test]
    fn python_auth_and_limits() {
        let s = signals(
            "api.py",
            "from fastapi import FastAPI, Depends\nfrom slowapi import Limiter\nimport requests\napp = FastAPI()\nlimiter = Limiter(key_func=k)\n@app.post('/x')\ndef x(u = Depends(get_current_user), db = Depends(get_db)):\n    requests.get(u, headers={'Authorization': t})\n",
        );
        assert_eq!(lines(&s, RateLimit), vec![5]);
        assert_eq!(lines(&s, Auth), vec![7], "{s:?}");
    }

    #[test]
    fn go_and_node_header_reads() {
        let s = signals(
            "mw.go",
            "package main\nimport \"net/http\"\nfunc mw(w http.ResponseWriter, r *http.Request) {\n\ttok := r.Header.Get(\"Authorization\")\n\treq.Header.Set(\"Authorization\", tok)\n}\n",
        );
        assert_eq!(lines(&s, Auth), vec![4]);
        let j = signals(
            "mw.js",
            "const rateLimit = require('express-rate-limit');\napp.use(rateLimit({ windowMs: 1000 }));\nfunction a(req, res, next) { const h = req.headers.authorization; }\naxios.get(u, { headers: { Authorization: t } });\n",
        );
        assert_eq!(lines(&j, RateLimit), vec![2]);
        assert_eq!(lines(&j, Auth), vec![3]);
    }

    #[test]
    fn auth_annotations_of_any_library() {
        let s = signals(
            "src/main/java/a/ConfigController.java",
            "package a;\nimport com.alibaba.nacos.plugin.auth.annotation.Secured;\nclass C {\n  @Secured(action = ActionTypes.WRITE)\n  @DeleteMapping\n  void d() {}\n}\n",
        );
        assert_eq!(lines(&s, Auth), vec![4]);
        let p = signals(
            "views.py",
            "from .auth import login_required\n@login_required\ndef v(request):\n    pass\n@app.route('/x')\ndef w():\n    pass\n",
        );
        assert_eq!(lines(&p, Auth), vec![2]);
    }

    #[test]
    fn own_throttling() {
        let s = signals(
            "mutations.py",
            "from ..account.throttling import authenticate_with_throttling\nfrom . import rate_limit, forms\nuser = authenticate_with_throttling(req, email, pw)\napp.add_middleware(rate_limit.get_middleware)\nlimiter_stats = compute(x)\nf = forms.UpdateRateLimitGroupForm(data)\n",
        );
        assert_eq!(lines(&s, RateLimit), vec![3, 4], "{s:?}");
    }

    #[test]
    fn java_spring_security() {
        let s = signals(
            "src/main/java/a/Sec.java",
            "package a;\nimport org.springframework.security.access.prepost.PreAuthorize;\nclass C {\n  @PreAuthorize(\"hasRole('ADMIN')\")\n  void d() {}\n}\n",
        );
        assert_eq!(lines(&s, Auth), vec![4]);
    }
}
