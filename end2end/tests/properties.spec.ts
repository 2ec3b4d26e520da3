// Properties and API tokens in a real browser: an admin adds a property (a taken code
// is refused next to the field), creates an API token that is shown once, the token
// works against the REST API, and stops working when revoked. Viewers only read.
import * as fs from "node:fs";
import * as path from "node:path";
import { expect, test } from "./support/fixtures";
import { addProperty, hydrated, signUp, unique } from "./support/session";

test("an admin adds properties and manages an API token", async ({ page, request }) => {
  const id = unique();
  await signUp(page, "Pat Admin", `pat-${id}@example.test`, `Cedar Partners ${id}`);
  const base = new URL(page.url()).pathname;

  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Properties" }).click();
  await hydrated(page);
  await expect(page.getByText("No properties yet.")).toBeVisible();
  const add = page.getByRole("region", { name: "Add a property" });
  await add.getByLabel("Property name").fill("Maple Court Apartments");
  await add.getByLabel("Code").fill("maple");
  await add.getByRole("button", { name: "Add property" }).click();
  await expect(page.getByRole("row", { name: "MAPLE" })).toBeVisible();
  await add.getByLabel("Property name").fill("Another Maple");
  await add.getByLabel("Code").fill("MAPLE");
  await add.getByRole("button", { name: "Add property" }).click();
  await expect(add.getByLabel("Code")).toHaveAttribute("aria-invalid", "true");
  await expect(add.getByText("Another property of this organization already uses this code.")).toBeVisible();
  await expect(page.getByRole("table", { name: "Properties" }).getByRole("row")).toHaveCount(2);

  await page.goto(`${base}/settings`);
  await hydrated(page);
  await expect(page.getByRole("progressbar", { name: "Documents" })).toHaveAttribute("aria-valuenow", "0");
  const tokens = page.getByRole("region", { name: "API tokens" });
  await tokens.getByLabel("Token name").fill("nightly import");
  await tokens.getByLabel("Token role").selectOption("viewer");
  await tokens.getByRole("button", { name: "Create token" }).click();
  const token = (await tokens.getByTestId("new-token").textContent())!.trim();
  expect(token).toMatch(/^llt_[0-9a-f]{64}$/);
  await expect(tokens.getByRole("list", { name: "Active tokens" })).toContainText("nightly import");

  const listed = await request.get("/api/v1/properties", { headers: { authorization: `Bearer ${token}` } });
  expect(listed.status()).toBe(200);
  expect((await listed.json()).properties.map((p: { code: string }) => p.code)).toEqual(["MAPLE"]);
  const refused = await request.post("/api/v1/properties", {
    headers: { authorization: `Bearer ${token}` },
    data: { name: "Nope", code: "NOPE" },
  });
  expect(refused.status()).toBe(403);

  await tokens.getByRole("button", { name: "Revoke token nightly import" }).click();
  await expect(tokens.getByText("No active tokens.")).toBeVisible();
  const dead = await request.get("/api/v1/properties", { headers: { authorization: `Bearer ${token}` } });
  expect(dead.status()).toBe(401);
  expect((await dead.json()).error.code).toBe("unauthenticated");
});

test("a document uploaded through the API is listed and downloads", async ({ page, request }) => {
  const id = unique();
  await signUp(page, "Uma Uploader", `uma-${id}@example.test`, `Juniper Holdings ${id}`);
  const base = new URL(page.url()).pathname;

  await addProperty(page, base, "Juniper Court", "JCA01");

  await page.goto(`${base}/settings`);
  await hydrated(page);
  const tokens = page.getByRole("region", { name: "API tokens" });
  await tokens.getByLabel("Token name").fill("uploader");
  await tokens.getByRole("button", { name: "Create token" }).click();
  const token = (await tokens.getByTestId("new-token").textContent())!.trim();

  const pdf = fs.readFileSync(path.resolve(__dirname, "../../../shared/samples/packages/JCA01_2024-02/JCA01_2024-02_balance_sheet.pdf"));
  const uploaded = await request.post("/api/v1/documents", {
    headers: { authorization: `Bearer ${token}` },
    multipart: {
      property: "JCA01",
      period: "2024-02",
      doc_type: "balance_sheet",
      file: { name: "JCA01_2024-02_balance_sheet.pdf", mimeType: "application/pdf", buffer: pdf },
    },
  });
  expect(uploaded.status()).toBe(201);

  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Documents" }).click();
  const row = page.getByRole("row", { name: "JCA01_2024-02_balance_sheet.pdf" });
  await expect(row).toContainText("Balance sheet");
  // The in-process worker extracts it while the page watches.
  await expect(row).toContainText("extracted", { timeout: 30_000 });
  const download = await page.request.get((await row.getByRole("link", { name: /^Download / }).getAttribute("href"))!);
  expect(download.status()).toBe(200);
  expect(download.headers()["content-disposition"]).toContain("attachment");
  expect((await download.body()).equals(pdf)).toBe(true);
});
