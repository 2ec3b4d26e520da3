//! Page chrome shared by every screen: header, sidebar, main region.

mod shell;

pub use shell::Shell;
