// Reads the mails the development transport (lettre's file transport) wrote into the
// server's MAIL_DIR, and pulls links out of them.
import * as fs from "node:fs";
import * as path from "node:path";
import { expect } from "@playwright/test";
import { mailDir } from "../../playwright.config";

/** Undoes quoted-printable soft breaks and =XX escapes. */
function decodeQuotedPrintable(text: string): string {
  const joined = text.replace(/=\r?\n/g, "");
  const bytes: number[] = [];
  for (let i = 0; i < joined.length; i++) {
    const hex = joined.slice(i + 1, i + 3);
    if (joined[i] === "=" && /^[0-9A-F]{2}$/i.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(joined[i], "utf8"));
    }
  }
  return Buffer.from(bytes).toString("utf8");
}

/** Every mail to `to`, oldest first. */
export function mailsTo(to: string): string[] {
  if (!fs.existsSync(mailDir)) return [];
  return fs
    .readdirSync(mailDir)
    .filter((f) => f.endsWith(".eml"))
    .map((f) => path.join(mailDir, f))
    .map((p) => ({ at: fs.statSync(p).mtimeMs, text: decodeQuotedPrintable(fs.readFileSync(p, "utf8")) }))
    .filter((m) => m.text.split(/\r?\n/).some((l) => l.startsWith("To:") && l.toLowerCase().includes(to.toLowerCase())))
    .sort((a, b) => a.at - b.at)
    .map((m) => m.text);
}

/** Waits for a mail to `to` holding a link under `pathPrefix` and returns the link's path. */
export async function linkInMail(to: string, pathPrefix: string, after = 0): Promise<string> {
  let link = "";
  await expect
    .poll(
      () => {
        const mails = mailsTo(to).slice(after);
        for (const m of mails.reverse()) {
          const match = m.match(new RegExp(`https?://[^\\s/]+(${pathPrefix.replace(/[?]/g, "\\?")}[^\\s]+)`));
          if (match) {
            link = match[1];
            return true;
          }
        }
        return false;
      },
      { message: `a mail to ${to} with a ${pathPrefix} link` },
    )
    .toBe(true);
  return link;
}
