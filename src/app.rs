//! The application root: the HTML shell rendered by the server and the route table.
//! Pages live in `ui::pages`; this file only wires them together.

use leptos::prelude::*;
use leptos_meta::{MetaTags, Stylesheet, Title, provide_meta_context};
use leptos_router::{
    ParamSegment, SsrMode, StaticSegment,
    components::{ParentRoute, Route, Router, Routes},
};

use crate::ui::layout::Shell;
use crate::ui::pages::org::{
    DocumentDetailPage, DocumentsPage, JobsPage, MembersPage, OrgAuditPage, OrgHomePage, OrgLayout,
    PropertiesPage, SettingsPage,
};
use crate::ui::pages::{
    AccountPage, CheckEmailPage, ForgotPasswordPage, HomePage, InvitationPage, LoginPage,
    NotFoundPage, ResetPasswordPage, SignupPage, StaffAuditPage, StaffJobsPage, StaffTenantsPage,
    VerifyEmailPage,
};
use crate::ui::session::provide_session;

/// The full HTML document. Used by the server for every page render and by the 404 handler.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <link rel="icon" href="/favicon.svg" type="image/svg+xml"/>
                <AutoReload options=options.clone()/>
                <HydrationScripts options/>
                <MetaTags/>
            </head>
            <body class="min-h-screen bg-slate-50 text-slate-900 antialiased">
                <App/>
            </body>
        </html>
    }
}

/// The root component shared by server rendering and hydration.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    provide_session();

    view! {
        <Stylesheet id="leptos" href="/pkg/ledgerlens.css"/>
        <Title text="Ledgerlens"/>
        <Router>
            <Shell>
                // Async rendering: the whole page (every resource, nested ones included) is
                // rendered before the first byte goes out, so the status (404, 403) and
                // log-in redirects set while rendering always reach the response, and the
                // page reads fine without JavaScript. Streaming sent headers before nested
                // resources resolved under load and lost those statuses (seen in e2e).
                <Routes fallback=NotFoundPage>
                    <Route path=StaticSegment("") view=HomePage ssr=SsrMode::Async/>
                    <Route path=StaticSegment("login") view=LoginPage ssr=SsrMode::Async/>
                    <Route path=StaticSegment("signup") view=SignupPage ssr=SsrMode::Async/>
                    <Route path=(StaticSegment("signup"), StaticSegment("check-email")) view=CheckEmailPage ssr=SsrMode::Async/>
                    <Route path=StaticSegment("forgot-password") view=ForgotPasswordPage ssr=SsrMode::Async/>
                    <Route path=StaticSegment("reset-password") view=ResetPasswordPage ssr=SsrMode::Async/>
                    <Route path=StaticSegment("verify-email") view=VerifyEmailPage ssr=SsrMode::Async/>
                    <Route path=(StaticSegment("invite"), ParamSegment("token")) view=InvitationPage ssr=SsrMode::Async/>
                    <Route path=StaticSegment("account") view=AccountPage ssr=SsrMode::Async/>
                    <Route path=StaticSegment("staff") view=StaffTenantsPage ssr=SsrMode::Async/>
                    <Route path=(StaticSegment("staff"), StaticSegment("audit")) view=StaffAuditPage ssr=SsrMode::Async/>
                    <Route path=(StaticSegment("staff"), StaticSegment("jobs")) view=StaffJobsPage ssr=SsrMode::Async/>
                    <ParentRoute path=(StaticSegment("o"), ParamSegment("org")) view=OrgLayout ssr=SsrMode::Async>
                        <Route path=StaticSegment("") view=OrgHomePage ssr=SsrMode::Async/>
                        <Route path=StaticSegment("documents") view=DocumentsPage ssr=SsrMode::Async/>
                        <Route path=(StaticSegment("documents"), ParamSegment("id")) view=DocumentDetailPage ssr=SsrMode::Async/>
                        <Route path=StaticSegment("jobs") view=JobsPage ssr=SsrMode::Async/>
                        <Route path=StaticSegment("properties") view=PropertiesPage ssr=SsrMode::Async/>
                        <Route path=StaticSegment("members") view=MembersPage ssr=SsrMode::Async/>
                        <Route path=StaticSegment("settings") view=SettingsPage ssr=SsrMode::Async/>
                        <Route path=StaticSegment("audit") view=OrgAuditPage ssr=SsrMode::Async/>
                    </ParentRoute>
                </Routes>
            </Shell>
        </Router>
    }
}
