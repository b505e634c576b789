// The demo admin's first sign-in, in Debian's Chromium (playwright-core), as a person does it
// with what `manage.py load_demo_content` printed: type the admin URL, fill in the e-mail
// address and password, Sign in, type the code an authenticator app shows for the printed
// secret. Every click, fill, select, key press and typed URL is counted; one JSON report.
//
//   node tests/e2e/first_login.mjs CONFIG.json
//
// CONFIG: {adminUrl, email, password, secret, shots}. The code is computed here from the
// secret exactly as an authenticator app does (RFC 6238: HMAC-SHA1, 30 s, 6 digits).
import { createHmac } from "node:crypto";
import { readFile } from "node:fs/promises";
import { launchChromium } from "../browser.mjs";

const config = JSON.parse(await readFile(process.argv[2], "utf8"));
const LOCAL_HOST = /^(127\.0\.0\.1|localhost|.+\.localhost)$/;
const PERIOD = 30;
const report = { actions: [], texts: {} };
const browser = await launchChromium();

function count(kind, what) {
  report.actions.push(`${kind}: ${what}`);
}

function base32(text) {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  let bits = "";
  for (const char of text.replace(/=+$/, "").toUpperCase()) {
    bits += alphabet.indexOf(char).toString(2).padStart(5, "0");
  }
  const bytes = [];
  for (let i = 0; i + 8 <= bits.length; i += 8) bytes.push(parseInt(bits.slice(i, i + 8), 2));
  return Buffer.from(bytes);
}

function totp(secret, seconds) {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(seconds / PERIOD)));
  const digest = createHmac("sha1", base32(secret)).update(counter).digest();
  const offset = digest[digest.length - 1] & 0x0f;
  const value = (digest.readUInt32BE(offset) & 0x7fffffff) % 1_000_000;
  return String(value).padStart(6, "0");
}

try {
  const context = await browser.newContext({ locale: "en-US", viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  await page.route("**/*", (route) => {
    const url = new URL(route.request().url());
    return url.protocol === "data:" || LOCAL_HOST.test(url.hostname) ? route.continue() : route.abort("blockedbyclient");
  });

  await page.goto(config.adminUrl);
  count("typed URL", config.adminUrl);
  await page.locator('input[name="login"]').fill(config.email);
  count("fill", "E-mail");
  await page.locator('input[name="password"]').fill(config.password);
  count("fill", "Password");
  await Promise.all([page.waitForURL(/\/accounts\/2fa\/authenticate\//), page.locator('main form button[type="submit"]').first().click()]);
  count("click", "Sign In");
  report.texts.twoFactor = await page.locator("main").innerText();
  await page.screenshot({ path: `${config.shots}/1-two-factor.png`, fullPage: true });

  // Like a person glancing at the app: a code about to expire is left for the next one.
  let now = Date.now() / 1000;
  if (PERIOD - (now % PERIOD) < 4) {
    await page.waitForTimeout((PERIOD - (now % PERIOD) + 1) * 1000);
    now = Date.now() / 1000;
  }
  // Typed digit by digit, as from the app; no Enter, no click: the field sends itself.
  await Promise.all([
    page.waitForURL((url) => !url.pathname.startsWith("/accounts/2fa/")),
    page.locator('input[name="code"]').pressSequentially(totp(config.secret, now), { delay: 40 }),
  ]);
  count("fill", "Code (typed)");

  await page.waitForLoadState("load");
  report.finalUrl = page.url();
  report.texts.landing = await page.locator("main").innerText().catch(() => "");
  report.dashboard = await page.locator("body.dashboard, .w-dashboard, [data-controller~='w-dashboard']").count();
  await page.screenshot({ path: `${config.shots}/2-landing.png`, fullPage: true });

  // Not counted: a recovery code (8 digits) is not cut off at the sixth digit once the person
  // says it is one; the Sign in button sends it.
  if (config.recoveryCode) {
    const other = await (await browser.newContext({ locale: "en-US" })).newPage();
    await other.goto(config.adminUrl);
    await other.locator('input[name="login"]').fill(config.email);
    await other.locator('input[name="password"]').fill(config.password);
    await Promise.all([other.waitForURL(/\/accounts\/2fa\/authenticate\//), other.locator('main form button[type="submit"]').first().click()]);
    await other.getByRole("button", { name: "Use a recovery code" }).click();
    await other.locator('input[name="code"]').pressSequentially(config.recoveryCode, { delay: 40 });
    await other.waitForTimeout(500);
    report.recoveryStillOnCodePage = new URL(other.url()).pathname.startsWith("/accounts/2fa/");
    await Promise.all([other.waitForURL((url) => !url.pathname.startsWith("/accounts/2fa/")), other.getByRole("button", { name: "Sign In" }).click()]);
    report.recoveryFinalUrl = other.url();
  }
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
