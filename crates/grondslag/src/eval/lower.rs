//! AST → IR. Interns constants, numbers variables, and turns expressions inside body atoms
//! into a fresh variable plus an equality. Every rule given is lowered: which rules are in
//! force on a date is decided before, once (`time::in_force`).

use rustc_hash::{FxHashMap, FxHashSet};

use super::ir::{self, Arg, Expr, Goal, Program, RelId, VarId};
use crate::source::Span;
use crate::syntax::ast::{self, BodyItem, CmpOp, Item, Module, RuleKind, Term};

/// Lower every rule and fact of `modules`.
pub fn lower(modules: &[&Module]) -> Program {
    lower_counting(modules).0
}

/// [`lower`], and how many facts the modules up to each one gave (cumulative, one count per
/// module).
pub fn lower_counting(modules: &[&Module]) -> (Program, Vec<usize>) {
    let mut program = Program::default();
    // Room for every rule at once (a grounded theory has hundreds of thousands; growing the
    // list by doubling copies it over and over).
    let rules = modules
        .iter()
        .flat_map(|m| &m.items)
        .filter(|item| matches!(item, Item::Rule(r) if !r.is_fact() || r.label.is_some()))
        .count();
    program.rules.reserve(rules);
    let mut counts = Vec::with_capacity(modules.len());
    for module in modules {
        for item in &module.items {
            let Item::Rule(rule) = item else { continue };
            lower_rule(&mut program, rule);
        }
        counts.push(program.facts.len());
    }
    (program, counts)
}

/// Lower one rule into `program` (facts go to `program.facts`).
pub fn lower_rule(program: &mut Program, rule: &ast::Rule) {
    let head = program.relation(
        &rule.head.atom.pred.name,
        rule.head.negated,
        rule.head.atom.args.len(),
    );
    // A labelled fact stays a rule, so that superiority and `via` can name it.
    if rule.kind == RuleKind::Strict && rule.body.is_empty() && rule.label.is_none() {
        let consts: Option<ir::Tuple> = rule
            .head
            .atom
            .args
            .iter()
            .map(|t| match t {
                Term::Const(v, _) => Some(program.interner.intern(v.clone())),
                _ => None,
            })
            .collect();
        if let Some(tuple) = consts {
            program.facts.push((head, tuple));
            return;
        }
    }
    let mut scope = Scope::for_clause(&rule.head.atom.args, &rule.body);
    let mut body = Vec::with_capacity(rule.body.len());
    for item in &rule.body {
        scope.body_item(program, item, &mut body);
    }
    let head_args = rule
        .head
        .atom
        .args
        .iter()
        .map(|t| scope.expr(program, t))
        .collect();
    program.rules.push(ir::Rule {
        head,
        head_args,
        body,
        var_names: scope.names,
        var_spans: scope.spans,
        origin: ir::Origin {
            span: rule.span,
            label: rule.label.as_ref().map(|l| l.name.clone()),
            kind: rule.kind,
        },
    });
}

/// Lower a query body on its own (for answering queries against a model): returns the goals
/// and the variable names.
pub fn lower_query(program: &mut Program, body: &[BodyItem]) -> (Vec<Goal>, Vec<String>) {
    let mut scope = Scope::for_clause(&[], body);
    let mut goals = Vec::new();
    for item in body {
        scope.body_item(program, item, &mut goals);
    }
    (goals, scope.names)
}

/// Variables of one clause (names borrowed from its AST).
#[derive(Default)]
struct Scope<'a> {
    ids: FxHashMap<&'a str, VarId>,
    names: Vec<String>,
    spans: Vec<Option<Span>>,
    /// Names that are global to the clause; the others are local to each aggregate (only
    /// needed, so only computed, when the clause has an aggregate).
    globals: FxHashSet<&'a str>,
}

impl<'a> Scope<'a> {
    fn for_clause(head: &'a [Term], body: &'a [BodyItem]) -> Scope<'a> {
        let has_aggregate = body.iter().any(|i| matches!(i, BodyItem::Aggregate(_)));
        Scope {
            globals: if has_aggregate {
                ast::global_variables(head, body).into_iter().collect()
            } else {
                FxHashSet::default()
            },
            ..Scope::default()
        }
    }

    fn var(&mut self, ident: &'a ast::Ident) -> VarId {
        if let Some(v) = self.ids.get(ident.name.as_str()) {
            return *v;
        }
        let v = self.fresh(&ident.name);
        self.spans[v.0 as usize] = Some(ident.span);
        self.ids.insert(&ident.name, v);
        v
    }

    fn fresh(&mut self, name: &str) -> VarId {
        self.names.push(name.to_string());
        self.spans.push(None);
        VarId(self.names.len() as u32 - 1)
    }

    fn expr(&mut self, program: &mut Program, term: &'a Term) -> Expr {
        match term {
            Term::Var(v) => Expr::Var(self.var(v)),
            Term::Anonymous(_) => Expr::Var(self.fresh("_")),
            Term::Const(value, _) => Expr::Const(program.interner.intern(value.clone())),
            Term::Arith(a, op, b, _) => Expr::Arith(
                Box::new(self.expr(program, a)),
                *op,
                Box::new(self.expr(program, b)),
            ),
            Term::Neg(a, _) => Expr::Neg(Box::new(self.expr(program, a))),
        }
    }

    /// An atom; expressions among its arguments become fresh variables, and the equalities
    /// that define them are returned for the caller to place after the atom.
    fn atom(&mut self, program: &mut Program, literal: &'a ast::Literal) -> (ir::Atom, Vec<Goal>) {
        let rel: RelId = program.relation(
            &literal.atom.pred.name,
            literal.negated,
            literal.atom.args.len(),
        );
        let mut defs = Vec::new();
        let args = literal
            .atom
            .args
            .iter()
            .map(|t| match t {
                Term::Var(v) => Arg::Var(self.var(v)),
                Term::Anonymous(_) => Arg::Var(self.fresh("_")),
                Term::Const(value, _) => Arg::Const(program.interner.intern(value.clone())),
                expr => {
                    let v = self.fresh("_expr");
                    let e = self.expr(program, expr);
                    defs.push(Goal::Compare(Expr::Var(v), CmpOp::Eq, e));
                    Arg::Var(v)
                }
            })
            .collect();
        (ir::Atom { rel, args }, defs)
    }

    fn body_item(&mut self, program: &mut Program, item: &'a BodyItem, out: &mut Vec<Goal>) {
        match item {
            BodyItem::Literal(l) => {
                let (atom, defs) = self.atom(program, l);
                out.push(Goal::Atom(atom));
                out.extend(defs);
            }
            BodyItem::Not(l, _) => {
                let (atom, defs) = self.atom(program, l);
                // Expressions inside a negated atom are evaluated before the test.
                out.extend(defs);
                out.push(Goal::Not(atom));
            }
            BodyItem::Compare(a, op, b, _) => {
                let a = self.expr(program, a);
                let b = self.expr(program, b);
                out.push(Goal::Compare(a, *op, b));
            }
            BodyItem::Aggregate(agg) => {
                let result = self.var(&agg.result);
                // Variables local to this aggregate get ids of their own.
                let outer = self.ids.clone();
                self.ids.retain(|name, _| self.globals.contains(name));
                let mut body = Vec::new();
                for inner in &agg.body {
                    self.body_item(program, inner, &mut body);
                }
                let targets = agg.targets.iter().map(|t| self.expr(program, t)).collect();
                // Global variables met first inside the aggregate keep their ids.
                let inside = std::mem::replace(&mut self.ids, outer);
                for (name, id) in inside {
                    if self.globals.contains(&name) {
                        self.ids.entry(name).or_insert(id);
                    }
                }
                out.push(Goal::Aggregate(ir::Aggregate {
                    result,
                    op: agg.op,
                    targets,
                    body,
                }));
            }
        }
    }
}
