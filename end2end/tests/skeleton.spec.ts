// The walking skeleton in a real browser: server rendering, hydration, the server
// function path, probes, the 404 page, and the home page with JavaScript off.
import { expect, test } from "./support/fixtures";

test("home page hydrates and the refresh button calls the server", async ({ page }) => {
  await page.goto("/");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(
    "Financial packages in, validated numbers out",
  );
  // The attribute flips only when the wasm bundle has taken over the server HTML.
  await expect(page.locator("[data-hydrated]")).toHaveAttribute("data-hydrated", "true");

  const status = page.getByRole("status");
  await expect(status).toHaveText("Loaded with the page.");
  const firstTime = await page.getByTestId("database-time").textContent();

  const call = page.waitForResponse((r) => r.url().includes("/sfn/system/status") && r.request().method() === "POST");
  await page.getByRole("button", { name: "Refresh status" }).click();
  const response = await call;
  expect(response.status()).toBe(200);
  await expect(status).toHaveText("Refreshed 1 time.");
  await expect(page.getByTestId("database-time")).not.toHaveText(firstTime ?? "");

  await page.getByRole("button", { name: "Refresh status" }).press("Enter");
  await expect(status).toHaveText("Refreshed 2 times.");
});

test("the server function answers with the version and database time", async ({ request }) => {
  const res = await request.post("/sfn/system/status", {
    headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
  });
  expect(res.status()).toBe(200);
  const body = await res.json();
  expect(body.version).toMatch(/^\d+\.\d+\.\d+/);
  expect(Date.parse(body.database_time)).not.toBeNaN();
});

test("readyz reports every dependency ready", async ({ request }) => {
  const res = await request.get("/readyz");
  expect(res.status()).toBe(200);
  expect(await res.json()).toMatchObject({
    status: "ok",
    checks: { postgres: "ok", redis: "ok", object_store: "ok" },
  });
  expect(res.headers()["x-request-id"]).toBeTruthy();
});

test("an unknown page shows the 404 page with status 404", async ({ page }) => {
  const res = await page.goto("/no/such/page");
  expect(res?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
  await page.getByRole("link", { name: "Back to the home page" }).click();
  await expect(page).toHaveURL("/");
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
});

test.describe("with JavaScript disabled", () => {
  test.use({ javaScriptEnabled: false });

  test("the home page still shows meaningful content", async ({ page }) => {
    const res = await page.goto("/");
    expect(res?.status()).toBe(200);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(
      "Financial packages in, validated numbers out",
    );
    await expect(page.getByTestId("app-version")).toHaveText(/^\d+\.\d+\.\d+/);
    await expect(page.getByTestId("database-time")).toHaveText(/^\d{4}-\d{2}-\d{2}T/);
    await expect(page.getByRole("navigation", { name: "Main" })).toBeAttached();
    await expect(page.locator("[data-hydrated]")).toHaveAttribute("data-hydrated", "false");
  });
});

test("a cross-site POST to a server function is refused with 403", async ({ request }) => {
  const res = await request.post("/sfn/system/status", {
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      origin: "https://evil.example",
    },
  });
  expect(res.status()).toBe(403);
  expect((await res.json()).error.code).toBe("forbidden");
});
