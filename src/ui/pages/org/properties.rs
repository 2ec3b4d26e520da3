//! Properties: the list for every member; admins add a property and rename or re-code
//! one in place. Errors (taken code, bad characters) show next to the field.

use leptos::prelude::*;

use super::{WithOrg, use_org_slug};
use crate::server_fns::org::{CreateProperty, UpdateProperty, list_properties};
use crate::shared::Role;
use crate::shared::org::PropertyRow;
use crate::ui::components::{Field, FormAlert, PageError, SubmitButton, action_error};

/// `/o/{org}/properties`
#[component]
pub fn PropertiesPage() -> impl IntoView {
    let slug = use_org_slug();
    let create = ServerAction::<CreateProperty>::new();
    let update = ServerAction::<UpdateProperty>::new();
    let version = move || create.version().get() + update.version().get();
    let properties = Resource::new_blocking(
        move || (slug.get(), version()),
        |(org, _)| list_properties(org),
    );
    let update_error = action_error(update.value());

    view! {
        <WithOrg title="Properties" body=move |org| {
            let admin = org.role.at_least(Role::Admin);
            let slug = org.slug.clone();
            let slug_list = slug.clone();
            view! {
                <div class="max-w-4xl space-y-6">
                    <h1 class="text-2xl font-semibold tracking-tight">"Properties"</h1>
                    <Transition fallback=|| view! { <p class="text-slate-500">"Loading properties…"</p> }>
                        {
                            move || {
                                let slug = slug_list.clone();
                                Suspend::new(async move {
                                    match properties.await {
                                        Ok(rows) => view! { <PropertyTable rows slug admin update update_error/> }.into_any(),
                                        Err(error) => view! { <PageError error/> }.into_any(),
                                    }
                                })
                            }
                        }
                    </Transition>
                    {admin.then(move || view! { <NewProperty create slug/> })}
                </div>
            }
        }/>
    }
}

#[component]
fn PropertyTable(
    rows: Vec<PropertyRow>,
    slug: String,
    admin: bool,
    update: ServerAction<UpdateProperty>,
    update_error: Signal<Option<crate::shared::UiError>>,
) -> impl IntoView {
    if rows.is_empty() {
        return view! {
            <p class="rounded-lg border border-dashed border-slate-300 bg-white p-6 text-sm text-slate-600">
                "No properties yet. Each property is a reporting entity (a building, a fund) whose monthly packages you upload."
            </p>
        }
        .into_any();
    }
    view! {
        <FormAlert error=update_error/>
        <div class="overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-sm">
            <table class="min-w-full divide-y divide-slate-200 text-sm" aria-label="Properties">
                <thead class="bg-slate-50 text-left text-slate-600">
                    <tr>
                        <th scope="col" class="px-4 py-2 font-medium">"Code"</th>
                        <th scope="col" class="px-4 py-2 font-medium">"Name"</th>
                        <th scope="col" class="px-4 py-2 font-medium">"Added"</th>
                        {admin.then(|| view! { <th scope="col" class="px-4 py-2 font-medium"><span class="sr-only">"Actions"</span></th> })}
                    </tr>
                </thead>
                <tbody class="divide-y divide-slate-100">
                    {rows.into_iter().map(|p| {
                        let slug = slug.clone();
                        let form_id = format!("edit-{}", p.id.0);
                        view! {
                            <tr aria-label=p.code.clone()>
                                {if admin {
                                    view! {
                                        <td class="px-4 py-2">
                                            <input form=form_id.clone() name="code" value=p.code.clone() aria-label=format!("Code of {}", p.code) class="w-32 rounded border border-slate-300 px-2 py-1 font-mono"/>
                                        </td>
                                        <td class="px-4 py-2">
                                            <input form=form_id.clone() name="name" value=p.name.clone() aria-label=format!("Name of {}", p.code) class="w-full rounded border border-slate-300 px-2 py-1"/>
                                        </td>
                                    }.into_any()
                                } else {
                                    view! {
                                        <td class="px-4 py-2 font-mono">{p.code.clone()}</td>
                                        <td class="px-4 py-2">{p.name.clone()}</td>
                                    }.into_any()
                                }}
                                <td class="px-4 py-2 text-slate-600">{p.created.clone()}</td>
                                {admin.then(|| view! {
                                    <td class="px-4 py-2 text-right">
                                        <ActionForm action=update attr:id=form_id.clone()>
                                            <input type="hidden" name="org" value=slug.clone()/>
                                            <input type="hidden" name="property_id" value=p.id.0.to_string()/>
                                            <button type="submit" class="rounded border border-slate-300 px-2 py-1 hover:bg-slate-100">"Save"</button>
                                        </ActionForm>
                                    </td>
                                })}
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

#[component]
fn NewProperty(create: ServerAction<CreateProperty>, slug: String) -> impl IntoView {
    let error = action_error(create.value());
    let added = move || match create.value().get() {
        Some(Ok(p)) => Some(format!("Added {} ({}).", p.name, p.code)),
        _ => None,
    };
    view! {
        <section aria-labelledby="new-property-heading" class="rounded-lg border border-slate-200 bg-white p-6 shadow-sm">
            <h2 id="new-property-heading" class="text-lg font-semibold">"Add a property"</h2>
            <ActionForm action=create>
                <input type="hidden" name="org" value=slug/>
                <div class="mt-3 grid gap-3 md:grid-cols-[1fr_12rem_auto] md:items-end">
                    <Field label="Property name" name="name" required=true error/>
                    <Field label="Code" name="code" required=true hint="Short and unique, e.g. MAPLE." error/>
                    <SubmitButton label="Add property" busy_label="Adding…" pending=create.pending()/>
                </div>
                <div class="mt-2"><FormAlert error fields=&["name", "code"]/></div>
                <p role="status" class="mt-2 text-sm text-green-800">{added}</p>
            </ActionForm>
        </section>
    }
}
