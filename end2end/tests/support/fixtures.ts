// The project's `test`: every page a test opens through the `page` fixture must finish
// without an uncaught error or a hydration panic in the browser (a page whose hydration
// panicked looks fine but no longer reacts; forms then post without JavaScript).
import { test as base, expect } from "@playwright/test";

export const test = base.extend<{ browserErrors: void }>({
  browserErrors: [
    async ({ page }, use) => {
      const errors: string[] = [];
      page.on("pageerror", (e) => errors.push(`uncaught: ${e.message}`));
      page.on("console", (m) => {
        if (m.type() === "error" && /hydrat|panicked/i.test(m.text())) errors.push(m.text());
      });
      await use();
      expect(errors, "errors in the browser").toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };
