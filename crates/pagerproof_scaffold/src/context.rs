//! The view of a review the scaffolds are written from: the components to write about
//! (optionally one), each with its inventory and findings, and the repository's findings.

use pagerproof_core::inventory::{ComponentInventory, Inventory, Workload};
use pagerproof_core::{Component, Fact, Finding, Report, Severity};

use crate::{Error, Input};

pub struct Ctx<'a> {
    pub report: &'a Report,
    pub repo: String,
    pub inventory: Inventory,
    /// Components that run (services, jobs, anything with a workload), in report order.
    pub runnable: Vec<Service<'a>>,
    /// Findings in scope: all, or those of the selected component.
    pub findings: Vec<&'a Finding>,
    /// The selected component, when `--component` was given.
    pub selected: Option<String>,
}

/// One component and what the review knows about it.
pub struct Service<'a> {
    pub comp: &'a Component,
    pub inv: ComponentInventory,
    pub findings: Vec<&'a Finding>,
}

/// Whether a component serves requests: its kind says so, or the inventory saw routes,
/// gRPC services or health endpoints in its code, or a Kubernetes Service in front of it.
/// (A probe alone does not count: a database container has a healthcheck too.)
pub fn is_service(comp: &Component, inv: &ComponentInventory) -> bool {
    comp.kind == "service"
        || !inv.routes.is_empty()
        || !inv.grpc_services.is_empty()
        || inv
            .workloads
            .iter()
            .any(|w| w.related.iter().any(|r| r.name.starts_with("Service/")))
}

impl<'a> Ctx<'a> {
    pub fn new(input: &Input<'a>) -> Result<Ctx<'a>, Error> {
        let report = input.report;
        let inventory = report.inventory.clone().unwrap_or_default();
        let selected = match &input.component {
            None => None,
            Some(want) => {
                let want = want.trim().trim_end_matches('/');
                let found = report
                    .components
                    .iter()
                    .find(|c| c.name == want || c.path == want);
                match found {
                    Some(c) => Some(c.path.clone()),
                    None => {
                        return Err(Error::UnknownComponent {
                            name: want.to_string(),
                            known: report.components.iter().map(|c| c.name.clone()).collect(),
                        });
                    }
                }
            }
        };
        let mut runnable = Vec::new();
        for c in &report.components {
            if let Some(sel) = &selected
                && &c.path != sel
            {
                continue;
            }
            let inv = inventory
                .component(&c.path)
                .cloned()
                .unwrap_or_else(|| ComponentInventory {
                    component: c.path.clone(),
                    name: c.name.clone(),
                    ..ComponentInventory::default()
                });
            let runs = matches!(c.kind.as_str(), "service" | "job" | "cli")
                || !inv.workloads.is_empty()
                || inv.serves();
            if !runs && selected.is_none() {
                continue;
            }
            let findings = report
                .findings
                .iter()
                .filter(|f| f.component == c.path)
                .collect();
            runnable.push(Service {
                comp: c,
                inv,
                findings,
            });
        }
        let findings = report
            .findings
            .iter()
            .filter(|f| selected.as_ref().is_none_or(|s| &f.component == s))
            .collect();
        Ok(Ctx {
            report,
            repo: input.repository.clone(),
            inventory,
            runnable,
            findings,
            selected,
        })
    }

    /// Components that serve requests.
    pub fn services(&self) -> Vec<&Service<'a>> {
        self.runnable
            .iter()
            .filter(|s| is_service(s.comp, &s.inv))
            .collect()
    }

    /// Findings in scope of one category (or several).
    pub fn in_categories(&self, cats: &[&str]) -> Vec<&'a Finding> {
        self.findings
            .iter()
            .copied()
            .filter(|f| cats.contains(&f.category.as_str()))
            .collect()
    }

    /// How many components in scope have a finding of one of `cats`.
    pub fn components_with(&self, cats: &[&str]) -> Vec<String> {
        let mut v: Vec<String> = self
            .in_categories(cats)
            .iter()
            .map(|f| f.component.clone())
            .collect();
        v.sort();
        v.dedup();
        v
    }

    /// A one-line description of the review, for document headers.
    pub fn provenance(&self) -> String {
        let r = self.report;
        let [p0, p1, p2, p3] = r.count_by_severity();
        format!(
            "Prefilled by `pagerproof scaffold` from the review of `{}` (pagerproof {}): verdict **{}**, \
score {:.1}/10, findings P0 {p0} · P1 {p1} · P2 {p2} · P3 {p3}.",
            self.repo, r.tool.version, r.verdict, r.score
        )
    }
}

impl<'a> Service<'a> {
    pub fn name(&self) -> &str {
        &self.comp.name
    }

    pub fn fact(&self, cat: &str) -> Option<&'a Fact> {
        self.comp.facts.get(cat)
    }

    /// The findings of this component in one of `cats`, most severe first.
    pub fn in_categories(&self, cats: &[&str]) -> Vec<&'a Finding> {
        self.findings
            .iter()
            .copied()
            .filter(|f| cats.contains(&f.category.as_str()))
            .collect()
    }

    /// Kubernetes workloads, one per (kind, name): the first declaration stands for the
    /// others (the same Deployment is often declared in plain manifests and kustomize).
    pub fn k8s_workloads(&self) -> Vec<(&Workload, Vec<&Workload>)> {
        let mut out: Vec<(&Workload, Vec<&Workload>)> = Vec::new();
        for w in self
            .inv
            .workloads
            .iter()
            .filter(|w| w.platform == "kubernetes")
        {
            match out
                .iter_mut()
                .find(|(p, _)| p.kind == w.kind && p.name == w.name && p.namespace == w.namespace)
            {
                Some((_, copies)) => copies.push(w),
                None => out.push((w, Vec::new())),
            }
        }
        out
    }

    /// The main Kubernetes workload (first declared), if any.
    pub fn main_workload(&self) -> Option<&Workload> {
        self.inv
            .workloads
            .iter()
            .find(|w| w.platform == "kubernetes" && w.kind != "CronJob" && w.kind != "Job")
    }

    /// Severity counts of this component's findings.
    pub fn worst(&self) -> Option<Severity> {
        self.findings.iter().map(|f| f.severity).min()
    }

    /// gRPC services other than the health service.
    pub fn grpc_services(&self) -> Vec<&str> {
        self.inv
            .grpc_services
            .iter()
            .map(|i| i.name.as_str())
            .filter(|n| *n != "Health")
            .collect()
    }
}
