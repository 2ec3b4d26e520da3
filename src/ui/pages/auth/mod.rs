//! Account screens: log in, sign up, forgot/reset password, verify email, invitation.

mod invite;
mod login;
mod password;
mod signup;
mod verify;

pub use invite::InvitationPage;
pub use login::LoginPage;
pub use password::{ForgotPasswordPage, ResetPasswordPage};
pub use signup::{CheckEmailPage, SignupPage};
pub use verify::VerifyEmailPage;

use leptos::prelude::*;

/// The narrow card every account screen sits in.
#[component]
fn AuthCard(title: &'static str, children: Children) -> impl IntoView {
    view! {
        <section aria-labelledby="auth-heading" class="mx-auto mt-6 max-w-md rounded-lg border border-slate-200 bg-white p-8 shadow-sm">
            <h1 id="auth-heading" class="mb-6 text-2xl font-semibold tracking-tight">{title}</h1>
            {children()}
        </section>
    }
}
