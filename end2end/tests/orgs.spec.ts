// Organizations and the staff console in a real browser: creating a second org and
// switching between orgs through the switcher; the staff console as superuser, support
// staff (assigned tenants only) and a tenant's member (not found).
import { type Page } from "@playwright/test";
import { expect, test } from "./support/fixtures";
import { DEMO_PASSWORD, hydrated, logIn, signUp, unique } from "./support/session";

async function logInDemo(page: Page, email: string) {
  await logIn(page, email, DEMO_PASSWORD);
  await expect(page).not.toHaveURL(/\/login/);
}

test("create a second organization and switch between them", async ({ page }) => {
  const id = unique();
  const email = `switcher-${id}@example.test`;
  await signUp(page, "Sam Switcher", email, `First Fund ${id}`);

  await page.goto("/account");
  await hydrated(page);
  const create = page.getByRole("region", { name: "Your organizations" });
  await create.getByLabel("Organization name").fill(`Second Fund ${id}`);
  await create.getByRole("button", { name: "Create" }).click();
  await expect(page.getByRole("heading", { level: 1, name: `Second Fund ${id}` })).toBeVisible();
  await expect(page.getByTestId("my-role")).toHaveText("Owner");

  const switcher = page.getByRole("navigation", { name: "Organizations" });
  await expect(switcher).toContainText(`Second Fund ${id}`);
  await switcher.locator("summary").click();
  await switcher.getByRole("link", { name: new RegExp(`First Fund ${id}`) }).click();
  await expect(page.getByRole("heading", { level: 1, name: `First Fund ${id}` })).toBeVisible();
});

test("the staff console shows all tenants to a superuser", async ({ page }) => {
  await logInDemo(page, "superuser@staff.ledgerlens.test");
  await page.goto("/staff");
  const tenants = page.getByRole("table", { name: "Tenants" });
  await expect(tenants.getByRole("row", { name: /Demo Property Group/ })).toContainText("Free");
  await expect(tenants.getByRole("row", { name: /Northwind Realty/ })).toBeVisible();
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Global audit log" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Global audit log" })).toBeVisible();
  await expect(page.getByRole("table", { name: "Audit events" })).toContainText("user.logged_in");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Dead jobs" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Dead jobs" })).toBeVisible();
  // Staff are not members: a tenant's pages are not theirs.
  const res = await page.goto("/o/demo");
  expect(res?.status()).toBe(404);
});

test("support staff see only their assigned tenant, read-only", async ({ page }) => {
  await logInDemo(page, "support@staff.ledgerlens.test");
  await page.goto("/staff");
  await expect(page.getByText("Tenants assigned to you (support, read-only).")).toBeVisible();
  const tenants = page.getByRole("table", { name: "Tenants" });
  await expect(tenants.getByRole("row", { name: /Demo Property Group/ })).toBeVisible();
  await expect(tenants.getByRole("row", { name: /Northwind Realty/ })).toHaveCount(0);
  await expect(page.getByRole("button")).toHaveText(["Log out"]);
  const global = await page.goto("/staff/audit");
  expect(global?.status()).toBe(403);
});

test("a tenant's member gets not-found for the staff console", async ({ page }) => {
  await logInDemo(page, "owner@demo.ledgerlens.test");
  const res = await page.goto("/staff");
  expect(res?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
});

test("settings out of range get an inline error and change nothing", async ({ page }) => {
  await logInDemo(page, "admin@northwind.ledgerlens.test");
  await page.goto("/o/northwind/settings");
  await hydrated(page);
  const threshold = page.getByLabel("Auto-post threshold");
  const saved = await threshold.inputValue();
  await threshold.fill("0.99");
  await page.getByRole("button", { name: "Save settings" }).click();
  await expect(threshold).toHaveAttribute("aria-invalid", "true");
  await expect(page.locator("#field-autopost_threshold-error")).toHaveText("Enter a number from 0.80 to 0.98, e.g. 0.90.");
  await page.reload();
  await expect(page.getByLabel("Auto-post threshold")).toHaveValue(saved);
});
