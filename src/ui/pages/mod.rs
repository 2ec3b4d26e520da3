//! One module per screen.

mod account;
mod auth;
mod home;
mod not_found;
pub mod org;
mod staff;

pub use account::AccountPage;
pub use auth::{
    CheckEmailPage, ForgotPasswordPage, InvitationPage, LoginPage, ResetPasswordPage, SignupPage,
    VerifyEmailPage,
};
pub use home::HomePage;
pub use not_found::NotFoundPage;
pub use staff::{StaffAuditPage, StaffJobsPage, StaffTenantsPage};
