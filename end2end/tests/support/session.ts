// Helpers every spec shares: waiting for hydration, unique names, signing up a new
// account with its own organization, adding a property, logging in.
import { type Page } from "@playwright/test";
import { expect } from "./fixtures";

export const PASSWORD = "violet tractor harbor 42 quietly";
/** Password of the demo accounts `make e2e` seeds. */
export const DEMO_PASSWORD = "maple harbor ledger lens";

/** A unique suffix so reruns against the same database never collide. */
export function unique(): string {
  return `${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;
}

/** Waits until the page has hydrated (the shell flips `data-hydrated`). */
export async function hydrated(page: Page) {
  await expect(page.locator("[data-hydrated]")).toHaveAttribute("data-hydrated", "true");
}

/** Signs up `email` with a new organization `org`; resolves on the org's dashboard. */
export async function signUp(page: Page, name: string, email: string, org: string) {
  await page.goto("/signup");
  await hydrated(page);
  await page.getByLabel("Your name").fill(name);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByLabel("Organization name").fill(org);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(/\/o\/[a-z0-9-]+$/);
  await expect(page.getByRole("heading", { level: 1, name: org })).toBeVisible();
}

/** Adds a property on the org's properties page (`base` is `/o/{slug}`). */
export async function addProperty(page: Page, base: string, name: string, code: string) {
  await page.goto(`${base}/properties`);
  await hydrated(page);
  const add = page.getByRole("region", { name: "Add a property" });
  await add.getByLabel("Property name").fill(name);
  await add.getByLabel("Code").fill(code);
  await add.getByRole("button", { name: "Add property" }).click();
  await expect(page.getByRole("row", { name: code })).toBeVisible();
}

/** Fills in and submits the log-in form (the caller checks where it lands). */
export async function logIn(page: Page, email: string, password = PASSWORD) {
  await page.goto("/login");
  await hydrated(page);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Log in" }).click();
}
