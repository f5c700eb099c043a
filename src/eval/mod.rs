//! Evaluation: lowering to the IR, stratification, semi-naive evaluation on datafrog.
//! (Being written: see issue 2.)
