// Accounts and members in a real browser: sign-up, invitation by email through the
// development mail transport, role changes and their guards, removal, the generic
// log-in error, and a reset link that works once.
import { type Page } from "@playwright/test";
import { expect, test } from "./support/fixtures";
import { linkInMail, mailsTo } from "./support/mail";
import { PASSWORD, hydrated, logIn, signUp, unique } from "./support/session";

const NEW_PASSWORD = "copper lantern meadow 77 softly";

test("invite, join as viewer, promote, guard the last owner, remove", async ({ browser }) => {
  const id = unique();
  const orgName = `Harbor Estates ${id}`;
  const ownerEmail = `owner-${id}@example.test`;
  const bobEmail = `bob-${id}@example.test`;

  // The owner signs up and lands in the new org.
  const ownerCtx = await browser.newContext();
  const owner = await ownerCtx.newPage();
  await signUp(owner, "Olivia Owner", ownerEmail, orgName);
  await expect(owner.getByRole("heading", { level: 1, name: orgName })).toBeVisible();
  await expect(owner.getByTestId("my-role")).toHaveText("Owner");
  await expect(owner.getByRole("region", { name: "Email verification" })).toBeVisible();
  const orgPath = new URL(owner.url()).pathname;

  // She invites Bob by email.
  await owner.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Members" }).click();
  await hydrated(owner);
  const invite = owner.getByRole("region", { name: "Invite by email" });
  await invite.getByLabel("Email to invite").fill(bobEmail);
  await invite.getByLabel("Role").selectOption("viewer");
  await invite.getByRole("button", { name: "Send invitation" }).click();
  await expect(invite.getByRole("status")).toHaveText("Invitation sent.");
  await expect(owner.getByRole("region", { name: "Pending invitations" })).toContainText(bobEmail);

  // Bob opens the mailed link in his own browser and signs up through it.
  const link = await linkInMail(bobEmail, "/invite/");
  const bobCtx = await browser.newContext();
  const bob = await bobCtx.newPage();
  await bob.goto(link);
  await expect(bob.getByText(`to join ${orgName} as Viewer`)).toBeVisible();
  await bob.getByRole("link", { name: "Create your account" }).click();
  await hydrated(bob);
  await expect(bob.getByLabel("Email")).toHaveValue(bobEmail);
  await bob.getByLabel("Your name").fill("Bob Builder");
  await bob.getByLabel("Password").fill(PASSWORD);
  await bob.getByRole("button", { name: "Create account" }).click();
  await expect(bob.getByRole("heading", { level: 1, name: orgName })).toBeVisible();
  await expect(bob.getByTestId("my-role")).toHaveText("Viewer");

  // The owner raises Bob to admin.
  await owner.reload();
  await hydrated(owner);
  const bobRow = owner.getByRole("row", { name: bobEmail });
  await bobRow.getByLabel(`Role of ${bobEmail}`).selectOption("admin");
  // The select shows "admin" as soon as it is picked: wait for the server's answer.
  const saved = owner.waitForResponse((r) => r.url().endsWith("/sfn/org/members/role"));
  await bobRow.getByRole("button", { name: "Save role" }).click();
  expect((await saved).status()).toBe(200);
  await owner.reload();
  await expect(owner.getByRole("row", { name: bobEmail }).getByLabel(`Role of ${bobEmail}`)).toHaveValue("admin");

  // Bob, now admin, cannot demote the last owner: he is told why.
  await bob.goto(`${orgPath}/members`);
  await hydrated(bob);
  const ownerRow = bob.getByRole("row", { name: ownerEmail });
  await ownerRow.getByLabel(`Role of ${ownerEmail}`).selectOption("viewer");
  await ownerRow.getByRole("button", { name: "Save role" }).click();
  await expect(bob.getByRole("alert")).toHaveText(
    "An organization needs at least one owner. Make another member an owner first.",
  );
  await bob.reload();
  await expect(bob.getByRole("row", { name: ownerEmail }).getByLabel(`Role of ${ownerEmail}`)).toHaveValue("owner");
  // The same guard in the UI: the owner tries to leave.
  await owner.reload();
  await hydrated(owner);
  await owner.getByRole("row", { name: ownerEmail }).getByRole("button", { name: "Leave organization" }).click();
  await expect(owner.getByRole("alert")).toContainText("An organization needs at least one owner");

  // The owner removes Bob; his next request to the org is the not-found page.
  await owner.getByRole("row", { name: bobEmail }).getByRole("button", { name: `Remove ${bobEmail}` }).click();
  await expect(owner.getByRole("row", { name: bobEmail })).toHaveCount(0);
  const res = await bob.goto(orgPath);
  expect(res?.status()).toBe(404);
  await expect(bob.getByRole("heading", { name: "Page not found" })).toBeVisible();

  await ownerCtx.close();
  await bobCtx.close();
});

test("a wrong password gets one generic message", async ({ page }) => {
  const id = unique();
  const email = `ada-${id}@example.test`;
  await signUp(page, "Ada", email, `Ada Holdings ${id}`);
  await page.context().clearCookies();

  await logIn(page, email, "not my password at all");
  await expect(page.getByRole("alert")).toHaveText("Email or password is incorrect.");
  await logIn(page, `nobody-${id}@example.test`, PASSWORD);
  await expect(page.getByRole("alert")).toHaveText("Email or password is incorrect.");
  await expect(page).toHaveURL(/\/login/);
});

test("a reset link works once and not twice", async ({ page }) => {
  const id = unique();
  const email = `grace-${id}@example.test`;
  await signUp(page, "Grace", email, `Grace Capital ${id}`);
  await page.context().clearCookies();

  await page.goto("/forgot-password");
  await hydrated(page);
  await page.getByLabel("Email").fill(email);
  await page.getByRole("button", { name: "Send reset link" }).click();
  await expect(page.getByRole("status")).toContainText("a reset link is on its way");
  const link = await linkInMail(email, "/reset-password?token=");

  await page.goto(link);
  await hydrated(page);
  await page.getByLabel("New password", { exact: true }).fill(NEW_PASSWORD);
  await page.getByRole("button", { name: "Set new password" }).click();
  await expect(page).toHaveURL(/\/login\?reset=1/);
  await expect(page.getByRole("status")).toContainText("Your password was changed");
  await logIn(page, email, NEW_PASSWORD);
  await expect(page.getByRole("heading", { level: 1, name: `Grace Capital ${id}` })).toBeVisible();

  await page.goto(link);
  await expect(page.getByRole("alert")).toContainText("This reset link has expired or was already used");
  await expect(page.getByLabel("New password", { exact: true })).toHaveCount(0);
  expect(mailsTo(email).length).toBeGreaterThanOrEqual(2);
});

test.describe("with JavaScript disabled", () => {
  test.use({ javaScriptEnabled: false });

  test("a demo viewer logs in and reads the members page", async ({ page }) => {
    await page.goto("/login");
    await page.getByLabel("Email").fill("viewer@demo.ledgerlens.test");
    await page.getByLabel("Password").fill("maple harbor ledger lens");
    await page.getByRole("button", { name: "Log in" }).click();
    await expect(page).toHaveURL(/\/o\/demo$/);
    await expect(page.getByRole("heading", { level: 1, name: "Demo Property Group" })).toBeVisible();
    await expect(page.getByTestId("my-role")).toHaveText("Viewer");

    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Members" }).click();
    await expect(page.getByRole("row", { name: "owner@demo.ledgerlens.test" })).toContainText("Owner");
    await expect(page.getByRole("row", { name: "viewer@demo.ledgerlens.test" })).toContainText("Viewer");
    // Viewers see no management controls and no other org's people.
    await expect(page.getByRole("region", { name: "Invite by email" })).toHaveCount(0);
    await expect(page.getByText("northwind")).toHaveCount(0);

    const settings = await page.goto("/o/demo/settings");
    expect(settings?.status()).toBe(403);
    const foreign = await page.goto("/o/northwind");
    expect(foreign?.status()).toBe(404);
  });
});
