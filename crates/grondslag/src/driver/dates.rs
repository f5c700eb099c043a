//! Which date's law applies (docs/bills.md): `--as-of` when given, else what the command evaluates
//! says (a case's `date`, the bills' effective date), else today. The calendar is read by the
//! front end and handed in as [`Dating::today`]: the library never reads the clock.

use crate::bill::{Amendments, Bill};
use crate::diagnostic::Diagnostic;
use crate::load::Workspace;
use crate::syntax::ast::Module;
use crate::time::{self, DateSource};
use crate::value::Date;

/// The dates a command may evaluate on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Dating {
    /// `--as-of` (or the REPL's `:asof`): wins over every other.
    pub as_of: Option<Date>,
    /// When nothing else says which law applies.
    pub today: Date,
}

impl Dating {
    /// One case on its own (`test`): `--as-of`, else the case's `date`, else today.
    pub fn case(&self, case: Option<&Module>) -> (Date, DateSource) {
        time::evaluation_date(self.as_of, case, self.today)
    }

    /// Everything loaded together (`run`, `query`, `model`, `explain`): `--as-of`, else the
    /// date the case files share, else today. Cases dated differently have no one law: the
    /// error says so.
    pub fn together(&self, ws: &Workspace) -> Result<(Date, DateSource), String> {
        time::shared_evaluation_date(self.as_of, &ws.case_modules(), self.today)
    }

    /// The law with and without the bills (`diff`): `--as-of`, else the date on which every
    /// bill is in force, else today.
    pub fn bills(&self, ws: &Workspace) -> (Date, DateSource) {
        match self.as_of {
            Some(date) => (date, DateSource::AsOf),
            None => (
                Amendments::of(&ws.bill_modules())
                    .all_in_force()
                    .unwrap_or(self.today),
                DateSource::Bill,
            ),
        }
    }

    /// A REPL session: `:asof`, else the date on which the bills added are all in force, else
    /// the date the case files loaded share, else today.
    pub fn session(&self, ws: &Workspace) -> Result<(Date, DateSource), String> {
        if let Some(date) = self.as_of {
            return Ok((date, DateSource::AsOf));
        }
        if let Some(date) = Amendments::of(&ws.bill_modules()).all_in_force() {
            return Ok((date, DateSource::Bill));
        }
        time::shared_evaluation_date(None, &ws.case_modules(), self.today)
    }
}

/// The bills loaded that take effect after `date`: on that date they change nothing, which a
/// command should say, or the bill looks ignored.
pub fn bills_after(ws: &Workspace, date: Date) -> Vec<Bill> {
    Amendments::of(&ws.bill_modules())
        .bills
        .into_iter()
        .filter(|bill| bill.effective > date)
        .collect()
}

/// `no_case_date`: the files loaded without a `case` header that state a case, judged on
/// `date` (see `time::undated_cases`).
pub fn undated(ws: &Workspace, (date, source): (Date, DateSource)) -> Vec<Diagnostic> {
    let mut modules = ws.all_modules();
    modules.extend(ws.bill_modules());
    time::undated_cases(&modules, date, source)
}
