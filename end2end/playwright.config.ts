// Playwright against the real built server (not `cargo leptos serve`, whose child can
// outlive the run and keep the port) in Debian chromium. `make e2e` builds the app and
// sets LEDGERLENS_BIN; the server reads .env-style settings from the environment.
import { defineConfig } from "@playwright/test";
import * as path from "node:path";

const port = Number(process.env.E2E_PORT ?? 3100);
const baseURL = `http://127.0.0.1:${port}`;
const bin = process.env.LEDGERLENS_BIN;
// Mail of the development transport lands here; tests read invitation and reset links.
export const mailDir = path.resolve(__dirname, ".mail");
if (!bin) {
  throw new Error("LEDGERLENS_BIN must point at the built ledgerlens binary (run `make e2e`)");
}

export default defineConfig({
  testDir: "./tests",
  globalTeardown: "./tests/support/teardown.ts",
  timeout: 30_000,
  expect: { timeout: 10_000 },
  fullyParallel: true,
  workers: 2,
  retries: 0,
  forbidOnly: !!process.env.CI,
  reporter: process.env.CI ? [["list"]] : [["list"], ["html", { open: "never", outputFolder: "playwright-report" }]],
  use: {
    baseURL,
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: "/usr/bin/chromium",
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    },
  },
  webServer: {
    command: `${bin} serve`,
    cwd: "..",
    url: `${baseURL}/readyz`,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: "ignore",
    stderr: "pipe",
    env: {
      LEPTOS_SITE_ADDR: `127.0.0.1:${port}`,
      LOG_FORMAT: "json",
      APP_BASE_URL: baseURL,
      MAIL_DIR: mailDir,
      // Redis database 1, flushed by `make e2e`: login-throttle counters of earlier runs
      // (or of the developer's own server) never leak into a run.
      REDIS_URL: "redis://127.0.0.1:6379/1",
    },
  },
});
