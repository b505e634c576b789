// The bidder's journey in Debian's Chromium (playwright-core), on the initiative's own domain:
// a business signs up, adds its organisation, quotes, replaces its quote and keeps its
// receipt; the frontrunner sees no contents before the deadline; the quotes open; the
// frontrunner awards; the card shows the award; the bidder checks the receipt's inclusion.
//
//   node bidder_journey.mjs BASE_URL INITIATIVE_PATH BLOCK_ID EMAIL FRONTRUNNER_EMAIL PASSWORD SHOTS
//
// Steps that need the server's side (the verification e-mail, the clock) are handed over on
// stdin/stdout: the script prints SIGNED_UP and reads the link; prints SEALED_CHECKED and
// waits for OPENED. It ends by printing one JSON report.
import { createRequire } from "node:module";
import { createInterface } from "node:readline";
import { readFile } from "node:fs/promises";
import { launchChromium } from "../../browser.mjs";

const require = createRequire(import.meta.url);
const [base, initiativePath, blockId, email, frontrunnerEmail, password, shots] = process.argv.slice(2);
const LOCAL_HOST = /^(127\.0\.0\.1|localhost|.+\.localhost)$/;
const lines = createInterface({ input: process.stdin })[Symbol.asyncIterator]();
const browser = await launchChromium();
const report = { hosts: [], violations: {}, texts: {}, receipts: [] };
const axeSource = await readFile(require.resolve("axe-core/axe.min.js"), "utf8");

async function axe(page, name) {
  await page.evaluate(axeSource);
  report.violations[name] = await page.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ["violations"] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.html) }));
  });
}

async function newPage() {
  const context = await browser.newContext({ locale: "en-US" });
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  await page.route("**/*", (route) => {
    const url = new URL(route.request().url());
    return url.protocol === "data:" || LOCAL_HOST.test(url.hostname) ? route.continue() : route.abort("blockedbyclient");
  });
  page.on("framenavigated", (frame) => { if (frame === page.mainFrame()) report.hosts.push(new URL(frame.url()).host); });
  return page;
}

function isoDate(days) {
  const date = new Date(Date.now() + days * 86_400_000);
  return date.toISOString().slice(0, 10);
}

async function quote(page, amount, offer) {
  await page.goto(`${base}${initiativePath}`);
  const card = page.locator(`#card-${blockId}`);
  await card.getByRole("link", { name: /Send a quote|Replace your quote/ }).click();
  await page.waitForLoadState();
  await page.getByLabel("Bid as").selectOption({ label: "Stratenmakers Bakker BV (KvK 12345678)" });
  await page.getByLabel("Amount in euros").fill(amount);
  await page.getByLabel("What you offer").fill(offer);
  await page.getByLabel("Delivery date").fill(isoDate(40));
  await page.getByLabel("Quote valid until").fill(isoDate(90));
  await page.getByLabel(/Attachment/).setInputFiles({ name: "offerte.pdf", mimeType: "application/pdf", buffer: Buffer.from("%PDF-1.4\n% offerte\n%%EOF\n") });
  await axe(page, `quote ${amount}`);
  await page.getByRole("button", { name: /Send my quote|Replace my quote/ }).click();
  await page.waitForLoadState();
  const receipt = (await page.locator("#receipt-code").innerText()).trim();
  report.receipts.push(receipt);
  return receipt;
}

try {
  // 1. A business signs up on the initiative's domain and verifies its address.
  const bidder = await newPage();
  await bidder.goto(`${base}/accounts/signup/`);
  await bidder.getByLabel("Display name").fill("Jan Bakker");
  await bidder.getByLabel(/^Email/).fill(email);
  await bidder.getByLabel(/^Password:?$/).fill(password);
  await bidder.getByLabel(/^Password \(again\)/).fill(password);
  await bidder.getByRole("button", { name: "Sign Up" }).click();
  await bidder.waitForLoadState();
  console.log("SIGNED_UP");
  const link = (await lines.next()).value.trim();
  await bidder.goto(link);
  await bidder.getByRole("button", { name: "Confirm" }).click();
  await bidder.waitForLoadState();

  // 2. It adds its organisation and quotes, then replaces its quote.
  await bidder.goto(`${base}/tenders/organisations/`);
  await axe(bidder, "organisations");
  await bidder.getByLabel("Name").fill("Stratenmakers Bakker BV");
  await bidder.getByLabel("KvK number").fill("12345678");
  await bidder.getByLabel("Contact person").fill("Jan Bakker");
  await bidder.getByLabel("Contact e-mail").fill(email);
  await bidder.getByRole("button", { name: "Add" }).click();
  await bidder.waitForLoadState();
  await quote(bidder, "8100", "Gravel court with oak edging.");
  await quote(bidder, "7450.50", "Gravel court with oak edging, drainage included.");
  await bidder.screenshot({ path: `${shots}/receipt.png`, fullPage: true });
  await bidder.goto(`${base}${initiativePath}`);
  report.texts.cardBefore = await bidder.locator(`#card-${blockId}`).innerText();

  // 3. The frontrunner looks in the admin before the deadline: sealed.
  const editor = await newPage();
  await editor.goto(`${base}/accounts/login/`);
  await editor.getByLabel(/^Email/).fill(frontrunnerEmail);
  await editor.getByLabel(/^Password/).fill(password);
  await editor.getByRole("button", { name: "Sign In" }).click();
  await editor.waitForLoadState();
  await editor.goto(`${base}/admin/tenders/`);
  report.texts.adminBefore = await editor.locator("main").innerText();
  const compare = editor.getByRole("link", { name: /Compare and award/ });
  report.texts.compareLinkBefore = await compare.count();
  console.log("SEALED_CHECKED");

  // 4. The clock opens the quotes (done by the test), the frontrunner compares and awards.
  await lines.next();
  await editor.goto(`${base}/admin/tenders/`);
  await editor.getByRole("link", { name: /Compare and award/ }).click();
  await editor.waitForLoadState();
  await editor.getByRole("link", { name: /Amount/ }).click();
  await editor.waitForLoadState();
  report.texts.adminAfter = await editor.locator("#quotes-table").innerText();
  await editor.getByLabel(/Stratenmakers Bakker BV/).check();
  await editor.getByLabel("Reason").fill("Best price and drainage included.");
  await editor.getByRole("button", { name: "Award and publish" }).click();
  await editor.waitForLoadState();
  await editor.screenshot({ path: `${shots}/awarded-admin.png`, fullPage: true });

  // 5. The card shows the award; the bidder checks its receipt.
  await bidder.goto(`${base}${initiativePath}`);
  report.texts.cardAfter = await bidder.locator(`#card-${blockId}`).innerText();
  await axe(bidder, "card after award");
  await bidder.locator(`#card-${blockId}`).getByRole("link", { name: "Check that your quote was opened" }).click();
  await bidder.waitForLoadState();
  await bidder.getByLabel("Receipt").fill(report.receipts.at(-1));
  await bidder.getByRole("button", { name: "Check" }).click();
  await bidder.waitForLoadState();
  report.texts.check = await bidder.locator("#check-result").innerText();
  await axe(bidder, "check");
  await bidder.screenshot({ path: `${shots}/checked.png`, fullPage: true });
} finally {
  await browser.close();
}
console.log(JSON.stringify(report));
