// The upload panel in a real browser: two sample PDFs dropped at once are guessed from
// their names, upload with progress bars that finish, and are listed; the same file again
// is a duplicate with a link to the original (whose page shows it); a text file renamed
// .pdf is refused as the wrong type by the server's content check; a name that says
// nothing asks for the missing fields inline; the owner deletes from the document page.
// Viewers get no panel, and the API refuses them even from inside the page.
import * as fs from "node:fs";
import * as path from "node:path";
import { type Page } from "@playwright/test";
import { expect, test } from "./support/fixtures";
import { DEMO_PASSWORD, addProperty, hydrated, logIn, signUp, unique } from "./support/session";

const SAMPLES = path.resolve(__dirname, "../../../shared/samples/packages");

type Upload = { name: string; mimeType: string; bytes: number[] };

function sample(name: string): Upload {
  const dir = name.split("_").slice(0, 2).join("_");
  return { name, mimeType: "application/pdf", bytes: Array.from(fs.readFileSync(path.join(SAMPLES, dir, name))) };
}

/** Drops `files` on the upload panel's drop zone, as a desktop drag would. */
async function drop(page: Page, files: Upload[]) {
  const dataTransfer = await page.evaluateHandle((files: Upload[]) => {
    const dt = new DataTransfer();
    for (const f of files) dt.items.add(new File([new Uint8Array(f.bytes)], f.name, { type: f.mimeType }));
    return dt;
  }, files);
  await page.getByTestId("drop-zone").dispatchEvent("drop", { dataTransfer });
}

test("drag-and-drop upload: progress, duplicates, wrong type", async ({ page }) => {
  const id = unique();
  await signUp(page, "Dana Drop", `dana-${id}@example.test`, `Quarry Lane ${id}`);
  const base = new URL(page.url()).pathname;
  await addProperty(page, base, "Juniper Court", "JCA01");

  await page.goto(`${base}/documents`);
  await hydrated(page);
  const panel = page.getByRole("region", { name: "Upload documents" });
  const bs = "JCA01_2024-03_balance_sheet.pdf";
  const is = "JCA01_2024-03_income_statement.pdf";
  await drop(page, [sample(bs), sample(is)]);
  const files = panel.getByRole("list", { name: "Files to upload" });
  // Property, period and type come from the names.
  const bsRow = files.getByRole("listitem", { name: bs });
  await expect(bsRow.getByLabel("Property")).toHaveValue("JCA01");
  await expect(bsRow.getByLabel("Period")).toHaveValue("2024-03");
  await expect(bsRow.getByLabel("Type")).toHaveValue("balance_sheet");
  await expect(files.getByRole("listitem", { name: is }).getByLabel("Type")).toHaveValue("income_statement");

  await panel.getByRole("button", { name: "Upload 2 files" }).click();
  for (const name of [bs, is]) {
    await expect(panel.getByRole("progressbar", { name: `Upload progress of ${name}` })).toHaveAttribute("aria-valuenow", "100");
    await expect(files.getByRole("listitem", { name })).toContainText("Uploaded — queued for extraction.");
  }
  const table = page.getByRole("table", { name: "Documents" });
  await expect(table.getByRole("row", { name: bs })).toContainText("Balance sheet");
  await expect(table.getByRole("row", { name: is })).toContainText("Income statement");

  // Each upload queued its extraction job, listed on the jobs page with a link back.
  const other = await page.context().newPage();
  await other.goto(`${base}/jobs`);
  const jobs = other.getByRole("table", { name: "Jobs" });
  await expect(jobs.getByRole("row").filter({ hasText: "extract_document" })).toHaveCount(2);
  await expect(jobs.getByRole("row").filter({ hasText: "queued" })).toHaveCount(2);
  await other.close();

  // The same bytes again: a duplicate, linked to the original; nothing new is listed.
  await panel.getByRole("button", { name: "Clear finished" }).click();
  await drop(page, [sample(bs)]);
  await panel.getByRole("button", { name: "Upload 1 file" }).click();
  const dup = files.getByRole("listitem", { name: bs });
  await expect(dup).toContainText("Duplicate:");
  await expect(table.getByRole("row")).toHaveCount(3);

  // Text renamed to .pdf passes the extension check but not the server's sniffing.
  await drop(page, [{ name: "JCA01_2024-04_cash_flow.pdf", mimeType: "application/pdf", bytes: Array.from(Buffer.from("just some notes, not a PDF\n")) }]);
  await panel.getByRole("button", { name: "Upload 1 file" }).click();
  const wrong = files.getByRole("listitem", { name: "JCA01_2024-04_cash_flow.pdf" });
  await expect(wrong.getByRole("alert")).toContainText("Wrong type:");
  await expect(table.getByRole("row")).toHaveCount(3);

  // A name that says nothing: the only property is preselected, the rest must be chosen.
  await drop(page, [{ ...sample(bs), name: "scan.pdf" }]);
  const scan = files.getByRole("listitem", { name: "scan.pdf" });
  await expect(scan.getByLabel("Property")).toHaveValue("JCA01");
  await panel.getByRole("button", { name: "Upload 1 file" }).click();
  await expect(scan).toContainText("Choose a period and a type for this file.");
  await scan.getByRole("button", { name: "Remove scan.pdf" }).click();
  await expect(scan).toHaveCount(0);

  // The duplicate's link opens the original, whose page shows what was stored.
  await dup.getByRole("link", { name: "View the existing document" }).click();
  await expect(page.getByRole("heading", { level: 1, name: bs })).toBeVisible();
  const details = page.getByRole("definition");
  await expect(page.getByLabel("Document details")).toContainText(`Uploaded bydana-${id}@example.test`);
  await expect(page.getByLabel("Document details")).toContainText(/Uploaded\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC$/);
  await expect(details.filter({ hasText: /^[0-9a-f]{64}$/ })).toHaveCount(1);
  await expect(page.getByTitle("PDF preview")).toBeVisible();
  const download = await page.request.get((await page.getByRole("link", { name: "Download" }).getAttribute("href"))!);
  expect((await download.body()).equals(Buffer.from(sample(bs).bytes))).toBe(true);

  // The owner deletes it: back on the list, one fewer.
  await hydrated(page);
  await page.getByText("Delete this document…").click();
  await page.getByRole("button", { name: "Delete permanently" }).click();
  await expect(page).toHaveURL(new RegExp(`${base}/documents$`));
  await expect(page.getByRole("table", { name: "Documents" }).getByRole("row")).toHaveCount(2);
});

test("the jobs page shows a new upload's job without reloading", async ({ page }) => {
  const id = unique();
  await signUp(page, "Lee Live", `lee-${id}@example.test`, `Live Oak ${id}`);
  const base = new URL(page.url()).pathname;
  const slug = base.split("/")[2];
  await addProperty(page, base, "Juniper Court", "JCA01");

  await page.goto(`${base}/jobs`);
  await hydrated(page);
  await expect(page.getByText("No jobs here.")).toBeVisible();
  // Upload from inside the open page (no navigation): the stream must bring the job in.
  const status = await page.evaluate(async ({ slug, file }) => {
    const form = new FormData();
    form.append("property", "JCA01");
    form.append("period", "2024-03");
    form.append("doc_type", "balance_sheet");
    form.append("file", new File([new Uint8Array(file.bytes)], file.name, { type: file.mimeType }));
    const res = await fetch("/api/v1/documents", { method: "POST", body: form, headers: { "X-Org": slug } });
    return res.status;
  }, { slug, file: sample("JCA01_2024-03_balance_sheet.pdf") });
  expect(status).toBe(201);
  const rows = page.getByRole("table", { name: "Jobs" }).getByRole("row").filter({ hasText: "extract_document" });
  await expect(rows).toHaveCount(1);
  await expect(rows).toContainText("queued");
});

test("viewers get no upload panel and the API refuses them", async ({ page }) => {
  await logIn(page, "viewer@demo.ledgerlens.test", DEMO_PASSWORD);
  await expect(page).not.toHaveURL(/\/login/);
  await page.goto("/o/demo/documents");
  await hydrated(page);
  await expect(page.getByRole("heading", { level: 1, name: "Documents" })).toBeVisible();
  await expect(page.getByRole("region", { name: "Upload documents" })).toHaveCount(0);
  // Same-origin, with the session cookie, exactly as the panel would send it.
  const answer = await page.evaluate(async () => {
    const form = new FormData();
    form.append("property", "JCA01");
    form.append("period", "2024-03");
    form.append("doc_type", "balance_sheet");
    form.append("file", new File(["%PDF-1.4\n"], "x.pdf", { type: "application/pdf" }));
    const res = await fetch("/api/v1/documents", { method: "POST", body: form, headers: { "X-Org": "demo" } });
    return { status: res.status, body: await res.json() };
  });
  expect(answer.status).toBe(403);
  expect(answer.body.error.code).toBe("forbidden");
});
