//! RESILIENCE evidence: circuit breakers, bulkheads and fallbacks around outbound calls,
//! recognised by the libraries that provide them (pybreaker, circuitbreaker, aiobreaker;
//! sony/gobreaker, hystrix-go, go-resiliency, failsafe-go; opossum, cockatiel, mollitia,
//! brakes; resilience4j, Hystrix, Failsafe, Spring Cloud CircuitBreaker, Sentinel).
//! One `Resilience` signal per file, at the import, naming the library.

use tree_sitter::Node;

use crate::lang::Family;
use crate::lang::NodeExt;
use crate::rule::{Cx, Extractor};
use crate::rules::reach;
use crate::signals::SignalKind;

pub struct Resilience;
pub static RESILIENCE: Resilience = Resilience;

/// (module prefix as imported, library name).
const LIBRARIES: &[(Family, &str, &str)] = &[
    (Family::Python, "pybreaker", "pybreaker"),
    (Family::Python, "circuitbreaker", "circuitbreaker"),
    (Family::Python, "aiobreaker", "aiobreaker"),
    (Family::Python, "purgatory", "purgatory"),
    (Family::Go, "github.com/sony/gobreaker", "gobreaker"),
    (Family::Go, "github.com/afex/hystrix-go", "hystrix-go"),
    (
        Family::Go,
        "github.com/eapache/go-resiliency",
        "go-resiliency",
    ),
    (
        Family::Go,
        "github.com/rubyist/circuitbreaker",
        "circuitbreaker",
    ),
    (
        Family::Go,
        "github.com/mercari/go-circuitbreaker",
        "go-circuitbreaker",
    ),
    (
        Family::Go,
        "github.com/failsafe-go/failsafe-go",
        "failsafe-go",
    ),
    (Family::Go, "github.com/cep21/circuit", "cep21/circuit"),
    (Family::Js, "opossum", "opossum"),
    (Family::Js, "cockatiel", "cockatiel"),
    (Family::Js, "mollitia", "mollitia"),
    (Family::Js, "brakes", "brakes"),
    (
        Family::Js,
        "@nestjs/axios-circuit-breaker",
        "circuit breaker",
    ),
    (Family::Java, "io.github.resilience4j", "resilience4j"),
    (Family::Java, "com.netflix.hystrix", "Hystrix"),
    (Family::Java, "dev.failsafe", "Failsafe"),
    (Family::Java, "net.jodah.failsafe", "Failsafe"),
    (
        Family::Java,
        "org.springframework.cloud.client.circuitbreaker",
        "Spring Cloud CircuitBreaker",
    ),
    (
        Family::Java,
        "org.springframework.cloud.netflix.hystrix",
        "Hystrix",
    ),
    (Family::Java, "com.alibaba.csp.sentinel", "Sentinel"),
];

impl Extractor for Resilience {
    fn outside_production(&self) -> bool {
        false
    }

    fn name(&self) -> &'static str {
        "resilience"
    }

    fn kinds(&self, f: Family) -> &'static [&'static str] {
        reach::root_kinds(f)
    }

    fn visit(&self, root: Node<'_>, cx: &mut Cx<'_>) {
        let fam = cx.family();
        let found = LIBRARIES
            .iter()
            .filter(|(f, _, _)| *f == fam)
            .find(|(_, m, _)| cx.imports().has_module(m) || cx.imports().any_module_contains(m));
        let Some((_, module, lib)) = found else {
            return;
        };
        // Point at the import line.
        let at = crate::lang::syntax::descendants(root)
            .find(|n| {
                matches!(
                    n.kind_name(),
                    "import_statement"
                        | "import_from_statement"
                        | "import_declaration"
                        | "import_spec"
                        | "lexical_declaration"
                        | "variable_declaration"
                ) && cx
                    .text(*n)
                    .contains(module.rsplit('/').next().unwrap_or(module))
            })
            .unwrap_or(root);
        cx.signal(
            SignalKind::Resilience,
            at,
            format!("circuit breaker: {lib}"),
        );
    }
}
