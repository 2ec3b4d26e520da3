//! User interface: layout and pages. Renders and calls server functions; never touches
//! the database.

pub mod layout;
pub mod pages;
