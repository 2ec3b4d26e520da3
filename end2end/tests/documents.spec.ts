// The upload panel in a real browser: two sample PDFs dropped at once are guessed from
// their names, upload with progress bars that finish, and are listed; the same file again
// is a duplicate with a link to the original (whose page shows it); a text file renamed
// .pdf is refused as the wrong type by the server's content check; a name that says
// nothing asks for the missing fields inline; the owner deletes from the document page.
// Viewers get no panel, and the API refuses them even from inside the page. A sample
// package of five PDFs is extracted while the list watches, and the income statement's
// lines open beside its PDF; a password-protected PDF is refused in words.
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
  // The in-process worker takes it: the row follows it to the end.
  await expect(rows).toContainText("done", { timeout: 30_000 });
});

test("a five-document package is extracted live and its lines open beside the PDF", async ({ page }) => {
  const id = unique();
  await signUp(page, "Pat Package", `pat-${id}@example.test`, `Package Row ${id}`);
  const base = new URL(page.url()).pathname;
  await addProperty(page, base, "Juniper Court", "JCA01");
  await page.goto(`${base}/documents`);
  await hydrated(page);
  const types = ["balance_sheet", "income_statement", "cash_flow", "rent_roll", "gl_export"];
  const names = types.map((t) => `JCA01_2024-03_${t}.pdf`);
  await drop(page, names.map(sample));
  const panel = page.getByRole("region", { name: "Upload documents" });
  await panel.getByRole("button", { name: "Upload 5 files" }).click();
  const table = page.getByRole("table", { name: "Documents" });
  for (const name of names) {
    await expect(panel.getByRole("progressbar", { name: `Upload progress of ${name}` })).toHaveAttribute("aria-valuenow", "100");
    // No reload: the page follows each extraction job to its end.
    await expect(table.getByRole("row", { name })).toContainText("extracted", { timeout: 60_000 });
    await expect(table.getByRole("progressbar", { name: `Extraction progress of ${name}` })).toHaveAttribute("aria-valuenow", "100");
  }

  await table.getByRole("link", { name: "JCA01_2024-03_income_statement.pdf", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name: "JCA01_2024-03_income_statement.pdf" })).toBeVisible();
  const lines = page.getByRole("table", { name: "Extracted line items" });
  const gpr = lines.getByRole("row").filter({ hasText: "4005-0000 Gross Potential Rent" });
  await expect(gpr).toContainText("60750.00");
  await expect(lines.getByRole("row").filter({ hasText: "TOTAL INCOME" })).toContainText("61070.98");
  // A line's page opens that page of the PDF in the viewer beside the lines.
  await hydrated(page);
  await gpr.getByRole("link", { name: "Show page 1 of the PDF" }).click();
  await expect.poll(() => page.frame({ name: "pdf-preview" })?.url() ?? "").toContain("#page=1");
});

test("a password-protected PDF is refused with a clear reason", async ({ page }) => {
  const id = unique();
  await signUp(page, "Quinn Lock", `quinn-${id}@example.test`, `Lockbox ${id}`);
  const base = new URL(page.url()).pathname;
  await addProperty(page, base, "Juniper Court", "JCA01");
  await page.goto(`${base}/documents`);
  await hydrated(page);
  const bytes = Array.from(fs.readFileSync(path.resolve(SAMPLES, "../../corpus/real-pdfs/password-example.pdf")));
  await drop(page, [{ name: "JCA01_2024-03_balance_sheet.pdf", mimeType: "application/pdf", bytes }]);
  const panel = page.getByRole("region", { name: "Upload documents" });
  await panel.getByRole("button", { name: "Upload 1 file" }).click();
  const row = panel.getByRole("list", { name: "Files to upload" }).getByRole("listitem", { name: "JCA01_2024-03_balance_sheet.pdf" });
  await expect(row.getByRole("alert")).toContainText("password-protected");
  await expect(page.getByText("No documents match")).toBeVisible();
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
