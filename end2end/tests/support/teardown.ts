// After the whole run: the server must not have panicked, even where a response still
// went out (a panic while dropping a rendered page's state does not fail any test).
import { expect } from "@playwright/test";

export default async function teardown() {
  const port = Number(process.env.E2E_PORT ?? 3100);
  const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  const panics = metrics.match(/^panics_total\s+(\d+)/m);
  expect(panics ? Number(panics[1]) : 0, "server panics during the run (see the server log)").toBe(0);
}
