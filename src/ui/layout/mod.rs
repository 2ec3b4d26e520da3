//! Page chrome shared by every screen: header, org switcher, sidebar, main region.

mod org_switcher;
mod shell;

pub use shell::{Shell, org_of_path};
