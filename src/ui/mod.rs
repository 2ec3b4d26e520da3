//! User interface: layout, pages and components. Renders and calls server functions;
//! never touches the database.

pub mod components;
pub mod format;
pub mod layout;
pub mod live;
pub mod pages;
pub mod session;
pub mod url;
pub mod xhr;
