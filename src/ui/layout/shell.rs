//! The application shell: header with the product name, a sidebar for navigation and
//! the main content region. Marks itself hydrated so tests (and people) can tell when
//! the page became interactive.

use leptos::prelude::*;
use leptos_router::components::A;

/// Header, sidebar and main region around the routed page.
#[component]
pub fn Shell(children: Children) -> impl IntoView {
    // Effects run only in the browser, after hydration: the attribute flips from
    // "false" (server HTML) to "true" once the wasm bundle has taken over.
    let (hydrated, set_hydrated) = signal(false);
    Effect::new(move |_| set_hydrated.set(true));

    view! {
        <div class="flex min-h-screen flex-col" data-hydrated=move || hydrated.get().to_string()>
            <a
                href="#main"
                class="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:rounded focus:bg-white focus:px-3 focus:py-2"
            >
                "Skip to content"
            </a>
            <header class="border-b border-slate-200 bg-white">
                <div class="flex h-14 items-center gap-3 px-4">
                    <A href="/" attr:class="flex items-center gap-2 font-semibold tracking-tight">
                        <span
                            aria-hidden="true"
                            class="grid h-7 w-7 place-items-center rounded bg-indigo-600 text-sm font-bold text-white"
                        >
                            "L"
                        </span>
                        <span>"Ledgerlens"</span>
                    </A>
                </div>
            </header>
            <div class="flex flex-1">
                <nav
                    aria-label="Main"
                    class="hidden w-56 shrink-0 border-r border-slate-200 bg-white p-4 md:block"
                >
                    <ul class="space-y-1 text-sm">
                        <li>
                            <A
                                href="/"
                                attr:class="block rounded px-2 py-1.5 hover:bg-slate-100 aria-[current=page]:bg-slate-100 aria-[current=page]:font-medium"
                            >
                                "Home"
                            </A>
                        </li>
                    </ul>
                    <p class="mt-6 text-xs text-slate-500">
                        "Documents, review, validation and rules arrive here as they ship."
                    </p>
                </nav>
                <main id="main" class="flex-1 p-6 md:p-10">
                    {children()}
                </main>
            </div>
        </div>
    }
}
