// A site admin switches the tender card off in the catalogue; an editor then tries to add a
// tender to an initiative page in Wagtail's page editor, and looks in the catalogue.
// Used by tests/catalogue/test_catalogue_in_browser.py, which sets up the site and checks
// the database afterwards.
//
//   node tests/catalogue/switch_off_tender.mjs CONFIG.json
//
// CONFIG: {"base": "http://127.0.0.1:PORT", "adminSession": "...", "editorSession": "...",
//          "cardTypeEditPath": "/admin/...", "cardTypeIndexPath": "/admin/...",
//          "pageEditPath": "/admin/pages/N/edit/", "catalogueTenderPath": "/admin/card-catalogue/tender/",
//          "screenshots": "/tmp/dir"}
// Prints one JSON object on stdout with what each step saw.
import { readFileSync } from "node:fs";
import { launchChromium } from "../browser.mjs";

const config = JSON.parse(readFileSync(process.argv[2], "utf8"));
const report = { steps: [], consoleErrors: [] };

const browser = await launchChromium();

async function signedIn(session) {
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 }, locale: "en-US" });
  const host = new URL(config.base).hostname;
  await context.addCookies([{ name: "sessionid", value: session, domain: host, path: "/" }]);
  // The network is closed: anything not on the live server is refused at once.
  await context.route("**/*", (route) => {
    const url = new URL(route.request().url());
    return url.hostname === host || url.protocol === "data:" ? route.continue() : route.abort("blockedbyclient");
  });
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  page.on("pageerror", (error) => report.consoleErrors.push(String(error)));
  return page;
}

async function shot(page, name) {
  await page.screenshot({ path: `${config.screenshots}/${name}.png`, fullPage: true });
}

try {
  // 1. The site admin switches the tender off and chooses to keep existing tenders visible.
  const admin = await signedIn(config.adminSession);
  await admin.goto(config.base + config.cardTypeEditPath);
  const enabled = admin.locator('input[name="enabled"]');
  report.steps.push({ step: "admin form", enabledBefore: await enabled.isChecked() });
  await enabled.uncheck();
  await admin.locator('select[name="when_disabled"]').selectOption("keep");
  await Promise.all([
    admin.waitForURL((url) => url.pathname === config.cardTypeIndexPath),
    admin.locator('form button[type="submit"]').filter({ hasText: /^\s*Save\s*$/ }).first().click(),
  ]);
  const row = admin.locator("tr", { hasText: "tender" }).first();
  report.adminListRow = (await row.innerText()).replace(/\s+/g, " ");
  await shot(admin, "1-admin-switched-off");

  // 2. The editor adds a tender in the page editor and saves a draft.
  const editor = await signedIn(config.editorSession);
  await editor.goto(config.base + config.pageEditPath);
  await editor.getByRole("button", { name: "Insert a block" }).first().click();
  await editor.getByRole("option", { name: "Tender" }).click();
  const request = editor.locator('input[name$="-value-request"]');
  await request.waitFor();
  await request.fill("Paving for the court");
  const deadline = editor.locator('input[name$="-value-deadline"]');
  await deadline.fill("2030-06-01 17:00");
  await deadline.press("Escape"); // closes the date picker, which would cover the buttons
  await request.click();
  await shot(editor, "2-editor-adds-tender");
  await Promise.all([
    editor.waitForLoadState("load"),
    editor.getByRole("button", { name: "Save draft" }).click(),
  ]);
  await editor.waitForSelector(".help-critical, .error-message, [class*='error']", { timeout: 20_000 });
  const pageText = (await editor.locator("main").innerText()).replace(/\s+/g, " ");
  report.editorPageText = pageText;
  report.editorUrl = editor.url();
  await shot(editor, "3-editor-refused");

  // 3. In the catalogue the editor sees that tenders are switched off, with nothing to add.
  await editor.goto(config.base + config.catalogueTenderPath);
  report.catalogueText = (await editor.locator("main").innerText()).replace(/\s+/g, " ");
  report.catalogueAddButtons = await editor.locator('input[name="card_type"][value="tender"]').count();
  await shot(editor, "4-editor-catalogue");
} catch (error) {
  report.error = String(error && error.stack ? error.stack : error);
} finally {
  await browser.close();
}
process.stdout.write(JSON.stringify(report) + "\n");
