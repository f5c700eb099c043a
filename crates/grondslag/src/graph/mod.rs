//! Plain graph tools the checks and the defeasible layer share, sized for ground theories of
//! hundreds of thousands of nodes: many short lists in one flat table ([`Lists`]), and
//! strongly connected components found without recursion ([`components`]).

mod components;
mod lists;

pub use components::components;
pub use lists::Lists;
