//! CANCEL: cancellation and shutdown signals caught and dropped: Python
//! `CancelledError`/`BaseException` handlers that do not re-raise, Java
//! `InterruptedException` handlers that neither restore the interrupt nor rethrow, Go
//! goroutines that loop forever with no way to stop them, JavaScript loops that keep
//! going after an `AbortError`.

pub mod goroutine;
pub mod interrupt;
pub mod swallowed;

use tree_sitter::Node;

use crate::lang::NodeExt;
use crate::lang::syntax;
use crate::rule::Cx;
use crate::rules::retry;

/// Whether `n` sits inside a loop of the same function, and that loop's node.
pub fn enclosing_loop<'a>(n: Node<'a>, cx: &Cx<'_>) -> Option<Node<'a>> {
    let f = cx.family();
    let fk = syntax::function_kinds(f);
    let lk = retry::loop_kinds(f);
    let mut cur = n.parent();
    while let Some(p) = cur {
        if fk.contains(&p.kind_name()) {
            return None;
        }
        if lk.contains(&p.kind_name())
            || matches!(p.kind_name(), "for_in_statement" | "enhanced_for_statement")
        {
            return Some(p);
        }
        cur = p.parent();
    }
    None
}

/// Whether a handler block leaves: a raise/throw, return or break anywhere in it (in the
/// same function), or a process exit.
pub fn handler_leaves_anywhere(block: Node<'_>, cx: &Cx<'_>) -> (bool, bool) {
    let mut raises = false;
    let mut exits = false;
    for n in retry::local(block, cx.family(), true) {
        match n.kind_name() {
            "raise_statement" | "throw_statement" => raises = true,
            "return_statement" | "break_statement" => exits = true,
            _ => {}
        }
        if syntax::call_kinds(cx.family()).contains(&n.kind_name()) {
            let (w, _) = cx.callee(n);
            if matches!(
                w.as_str(),
                "sys.exit" | "os._exit" | "exit" | "System.exit" | "process.exit"
            ) || syntax::last_segment(&w)
                .to_ascii_lowercase()
                .contains("reraise")
            {
                raises = true;
            }
        }
    }
    (raises, exits)
}
