//! The defeasible layer: strong negation, default rules, defeaters, superiority.
//! (Being written: see issue 7.)
