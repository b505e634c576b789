// An editor requests a domain on the initiative's editor page; a site admin approves it from the
// dashboard in one action; the initiative answers on it. Debian's Chromium via playwright-core,
// *.localhost mapped to 127.0.0.1 (tests/browser.mjs). Prints one JSON report.
//
//   node tests/e2e/domain_request.mjs CONFIG.json
//
// CONFIG: {base, editorSession, adminSession, editUrl, hostname, shots}. The sessions are signed
// in already (tests/signed_in.py); the site admin's actions are counted from the dashboard.
import { readFile } from "node:fs/promises";
import { launchChromium } from "../browser.mjs";

const config = JSON.parse(await readFile(process.argv[2], "utf8"));
const LOCAL_HOST = /^(127\.0\.0\.1|localhost|.+\.localhost)$/;
const report = { adminActions: [], consoleErrors: [], texts: {} };
const browser = await launchChromium();

async function signedIn(session) {
  const context = await browser.newContext({ locale: "en-US", viewport: { width: 1280, height: 900 } });
  const host = new URL(config.base).hostname;
  await context.addCookies([{ name: "sessionid", value: session, domain: host, path: "/" }]);
  await context.route("**/*", (route) => {
    const url = new URL(route.request().url());
    return url.protocol === "data:" || LOCAL_HOST.test(url.hostname) ? route.continue() : route.abort("blockedbyclient");
  });
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  page.on("pageerror", (error) => report.consoleErrors.push(String(error)));
  return page;
}

try {
  // The editor: the Domain panel of their initiative's editor page, then Save draft.
  const editor = await signedIn(config.editorSession);
  await editor.goto(config.base + config.editUrl);
  const field = editor.getByRole("textbox", { name: "Request a domain" });
  await field.fill(config.hostname);
  await editor.screenshot({ path: `${config.shots}/1-editor-request.png`, fullPage: false });
  await Promise.all([
    editor.waitForURL((url) => url.pathname === config.editUrl),
    editor.locator("footer").getByRole("button", { name: "Save draft" }).click(),
  ]);
  await editor.waitForLoadState("load");
  report.texts.afterRequest = await editor.locator("main").innerText();
  report.texts.messages = await editor.locator(".messages").innerText().catch(() => "");
  await editor.locator("[id$='new_domain-section']").screenshot({ path: `${config.shots}/1b-panel-requested.png` });

  // The site admin, on the dashboard: one click.
  const admin = await signedIn(config.adminSession);
  await admin.goto(`${config.base}/admin/`);
  report.texts.dashboard = await admin.locator("main").innerText();
  await admin.screenshot({ path: `${config.shots}/2-dashboard.png`, fullPage: true });
  await Promise.all([
    admin.waitForURL(/\/admin\/$/),
    admin.getByRole("button", { name: `Approve ${config.hostname}` }).click(),
  ]);
  report.adminActions.push(`click: Approve ${config.hostname}`);
  await admin.waitForLoadState("load");
  report.texts.afterApprove = await admin.locator(".messages").innerText().catch(() => "");

  // Checking the result is not part of the journey.
  const port = new URL(config.base).port;
  const visit = await admin.goto(`http://${config.hostname}:${port}/`);
  report.publicStatus = visit.status();
  report.publicHeading = await admin.locator("h1").first().innerText();
  await admin.screenshot({ path: `${config.shots}/3-public.png`, fullPage: false });

  await editor.reload();
  report.texts.editorAfter = await editor.locator("main").innerText();
} catch (error) {
  report.error = String(error.stack || error);
  for (const open of browser.contexts().flatMap((context) => context.pages())) {
    report.texts.lastPage = `${open.url()}\n${await open.locator("body").innerText().catch(() => "")}`;
    await open.screenshot({ path: `${config.shots}/error.png`, fullPage: true }).catch(() => {});
  }
} finally {
  await browser.close();
}
console.log(JSON.stringify(report));
