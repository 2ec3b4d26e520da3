//! Members: the list with role and joined date for everyone; for admins, role changes,
//! removal, invitations by email, adding an existing account, pending invitations. Any
//! member can leave. Rule violations (last owner, owner-only changes) come back from the
//! server with a message shown above the table.

use leptos::prelude::*;

use super::{WithOrg, use_org_slug};
use crate::server_fns::org::{
    AddMember, ChangeMemberRole, InviteMember, LeaveOrg, RemoveMember, RevokeInvitation,
    list_members,
};
use crate::shared::org::{InvitationRow, MemberRow, MembersPage as Page};
use crate::shared::{Role, UiError};
use crate::ui::components::{
    Field, FormAlert, PageError, SubmitButton, action_error, go_on_success,
};

/// The actions of the page, shared by every row.
#[derive(Clone, Copy)]
struct Actions {
    change: ServerAction<ChangeMemberRole>,
    remove: ServerAction<RemoveMember>,
    leave: ServerAction<LeaveOrg>,
    revoke: ServerAction<RevokeInvitation>,
}

/// `/o/{org}/members`
#[component]
pub fn MembersPage() -> impl IntoView {
    let slug = use_org_slug();
    let actions = Actions {
        change: ServerAction::new(),
        remove: ServerAction::new(),
        leave: ServerAction::new(),
        revoke: ServerAction::new(),
    };
    go_on_success(actions.leave.value());
    let invite = ServerAction::<InviteMember>::new();
    let add = ServerAction::<AddMember>::new();
    let version = move || {
        actions.change.version().get()
            + actions.remove.version().get()
            + actions.revoke.version().get()
            + invite.version().get()
            + add.version().get()
    };
    let members = Resource::new_blocking(
        move || (slug.get(), version()),
        |(org, _)| list_members(org),
    );
    // The outcome of the row action that finished last, shown above the table: a later
    // success clears an earlier failure's message.
    let last_error = RwSignal::new(None::<UiError>);
    follow(actions.change.value(), last_error);
    follow(actions.remove.value(), last_error);
    follow(actions.leave.value(), last_error);
    follow(actions.revoke.value(), last_error);
    let row_error = Signal::from(last_error);

    view! {
        <WithOrg title="Members" body=move |org| view! {
            <div class="max-w-5xl space-y-8">
                <h1 class="text-2xl font-semibold tracking-tight">"Members"</h1>
                <Transition fallback=|| view! { <p class="text-slate-500">"Loading members…"</p> }>
                    {
                        let slug = org.slug.clone();
                        move || {
                            let slug = slug.clone();
                            Suspend::new(async move {
                                match members.await {
                                    Ok(page) => view! { <MembersBody page slug actions row_error invite add/> }.into_any(),
                                    Err(error) => view! { <PageError error/> }.into_any(),
                                }
                            })
                        }
                    }
                </Transition>
            </div>
        }/>
    }
}

/// Copies each new result of an action into `last` (its error, or none on success).
fn follow<T, S>(value: S, last: RwSignal<Option<UiError>>)
where
    T: Clone + Send + Sync + 'static,
    S: Get<Value = Option<Result<T, UiError>>> + 'static,
{
    Effect::new(move |_| {
        if let Some(result) = value.get() {
            last.set(result.err());
        }
    });
}

#[component]
fn MembersBody(
    page: Page,
    slug: String,
    actions: Actions,
    row_error: Signal<Option<UiError>>,
    invite: ServerAction<InviteMember>,
    add: ServerAction<AddMember>,
) -> impl IntoView {
    let admin = page.my_role.at_least(Role::Admin);
    let my_role = page.my_role;
    view! {
        <section aria-labelledby="members-heading">
            <h2 id="members-heading" class="sr-only">"Member list"</h2>
            <div class="mb-3"><FormAlert error=row_error/></div>
            <div class="overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-sm">
                <table class="min-w-full divide-y divide-slate-200 text-sm">
                    <thead class="bg-slate-50 text-left text-slate-600">
                        <tr>
                            <th scope="col" class="px-4 py-2 font-medium">"Name"</th>
                            <th scope="col" class="px-4 py-2 font-medium">"Email"</th>
                            <th scope="col" class="px-4 py-2 font-medium">"Role"</th>
                            <th scope="col" class="px-4 py-2 font-medium">"Joined"</th>
                            <th scope="col" class="px-4 py-2 font-medium"><span class="sr-only">"Actions"</span></th>
                        </tr>
                    </thead>
                    <tbody class="divide-y divide-slate-100">
                        {page.members.into_iter().map(|m| view! { <MemberLine m admin my_role slug=slug.clone() actions/> }).collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
        {admin.then(|| view! {
            <InviteForms slug=slug.clone() my_role invite add/>
            <Invitations rows=page.invitations slug=slug.clone() revoke=actions.revoke/>
        })}
    }
}

fn role_options(allowed: &[Role], selected: Role) -> impl IntoView {
    allowed
        .iter()
        .map(|r| view! { <option value=r.as_str() selected=*r == selected>{r.label()}</option> })
        .collect_view()
}

/// Roles the viewer may hand out.
fn grantable(my_role: Role) -> Vec<Role> {
    Role::ALL
        .into_iter()
        .filter(|r| *r != Role::Owner || my_role == Role::Owner)
        .collect()
}

#[component]
fn MemberLine(
    m: MemberRow,
    admin: bool,
    my_role: Role,
    slug: String,
    actions: Actions,
) -> impl IntoView {
    let uid = m.user_id.0.to_string();
    let label = format!("Role of {}", m.email);
    // Admins get the controls on every row; the server explains what a rule forbids
    // (only owners change owners, the last owner stays).
    let can_edit = admin;
    let mut roles = grantable(my_role);
    if !roles.contains(&m.role) {
        roles.push(m.role);
    }
    let email = m.email.clone();
    let remove_label = format!("Remove {}", m.email);
    let (slug2, uid2, slug3) = (slug.clone(), uid.clone(), slug.clone());
    view! {
        <tr aria-label=email>
            <td class="px-4 py-2">{m.name.clone()} {m.is_me.then(|| view! { <span class="ml-1 text-xs text-slate-500">"(you)"</span> })}</td>
            <td class="px-4 py-2 text-slate-600">{m.email.clone()}</td>
            <td class="px-4 py-2">
                {if can_edit {
                    view! {
                        <ActionForm action=actions.change>
                            <input type="hidden" name="org" value=slug.clone()/>
                            <input type="hidden" name="user_id" value=uid.clone()/>
                            <div class="flex items-center gap-2">
                                <select name="role" aria-label=label class="rounded border border-slate-300 px-2 py-1">
                                    {role_options(&roles, m.role)}
                                </select>
                                <button type="submit" class="rounded border border-slate-300 px-2 py-1 hover:bg-slate-100">"Save role"</button>
                            </div>
                        </ActionForm>
                    }.into_any()
                } else {
                    view! { <span>{m.role.label()}</span> }.into_any()
                }}
            </td>
            <td class="px-4 py-2 text-slate-600">{m.joined.clone()}</td>
            <td class="px-4 py-2 text-right">
                {if m.is_me {
                    view! {
                        <ActionForm action=actions.leave>
                            <input type="hidden" name="org" value=slug3/>
                            <button type="submit" class="text-red-700 hover:underline">"Leave organization"</button>
                        </ActionForm>
                    }.into_any()
                } else if can_edit {
                    view! {
                        <ActionForm action=actions.remove>
                            <input type="hidden" name="org" value=slug2/>
                            <input type="hidden" name="user_id" value=uid2/>
                            <button type="submit" class="text-red-700 hover:underline" aria-label=remove_label>"Remove"</button>
                        </ActionForm>
                    }.into_any()
                } else {
                    ().into_any()
                }}
            </td>
        </tr>
    }
}

#[component]
fn InviteForms(
    slug: String,
    my_role: Role,
    invite: ServerAction<InviteMember>,
    add: ServerAction<AddMember>,
) -> impl IntoView {
    let invite_error = action_error(invite.value());
    let add_error = action_error(add.value());
    let invited = move || matches!(invite.value().get(), Some(Ok(())));
    let added = move || matches!(add.value().get(), Some(Ok(())));
    let invite_roles = [Role::Admin, Role::Editor, Role::Viewer];
    let card = "rounded-lg border border-slate-200 bg-white p-6 shadow-sm";
    let add_roles = grantable(my_role);
    let slug_add = slug.clone();
    view! {
        <div class="grid gap-6 md:grid-cols-2">
            <section aria-labelledby="invite-heading" class=card>
                <h2 id="invite-heading" class="text-lg font-semibold">"Invite by email"</h2>
                <ActionForm action=invite>
                    <input type="hidden" name="org" value=slug/>
                    <div class="mt-3 space-y-3">
                        <Field label="Email to invite" name="email" id="invite-email" kind="email" required=true error=invite_error/>
                        <div class="space-y-1">
                            <label for="invite-role" class="block text-sm font-medium text-slate-700">"Role"</label>
                            <select id="invite-role" name="role" class="block w-full rounded border border-slate-300 px-2 py-2 text-sm">
                                {role_options(&invite_roles, Role::Viewer)}
                            </select>
                        </div>
                        <FormAlert error=invite_error fields=&["email"]/>
                        <Show when=invited><p role="status" class="text-sm text-green-800">"Invitation sent."</p></Show>
                        <SubmitButton label="Send invitation" busy_label="Sending…" pending=invite.pending()/>
                    </div>
                </ActionForm>
            </section>
            <section aria-labelledby="add-heading" class=card>
                <h2 id="add-heading" class="text-lg font-semibold">"Add an existing user"</h2>
                <ActionForm action=add>
                    <input type="hidden" name="org" value=slug_add/>
                    <div class="mt-3 space-y-3">
                        <Field label="Their account's email" name="email" id="add-email" kind="email" required=true error=add_error/>
                        <div class="space-y-1">
                            <label for="add-role" class="block text-sm font-medium text-slate-700">"Role"</label>
                            <select id="add-role" name="role" class="block w-full rounded border border-slate-300 px-2 py-2 text-sm">
                                {role_options(&add_roles, Role::Viewer)}
                            </select>
                        </div>
                        <FormAlert error=add_error fields=&["email"]/>
                        <Show when=added><p role="status" class="text-sm text-green-800">"Member added."</p></Show>
                        <SubmitButton label="Add member" busy_label="Adding…" pending=add.pending()/>
                    </div>
                </ActionForm>
            </section>
        </div>
    }
}

#[component]
fn Invitations(
    rows: Vec<InvitationRow>,
    slug: String,
    revoke: ServerAction<RevokeInvitation>,
) -> impl IntoView {
    view! {
        <section aria-labelledby="pending-heading">
            <h2 id="pending-heading" class="text-lg font-semibold">"Pending invitations"</h2>
            {if rows.is_empty() {
                view! { <p class="mt-2 text-sm text-slate-600">"No pending invitations."</p> }.into_any()
            } else {
                view! {
                    <ul class="mt-2 divide-y divide-slate-100 rounded-lg border border-slate-200 bg-white">
                        {rows.into_iter().map(|i| { let slug = slug.clone(); view! {
                            <li class="flex items-center justify-between px-4 py-2 text-sm">
                                <span>
                                    {i.email.clone()} " · " {i.role.label()}
                                    <span class="text-slate-500">" · expires " {i.expires.clone()}</span>
                                </span>
                                <ActionForm action=revoke>
                                    <input type="hidden" name="org" value=slug.clone()/>
                                    <input type="hidden" name="invitation_id" value=i.id.0.to_string()/>
                                    <button type="submit" class="text-red-700 hover:underline" aria-label=format!("Revoke invitation of {}", i.email)>"Revoke"</button>
                                </ActionForm>
                            </li>
                        }}).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
    }
}
