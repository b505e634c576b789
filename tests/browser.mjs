// How every browser test starts Debian's Chromium through playwright-core: headless, with
// nothing running in the background, and *.localhost resolved to 127.0.0.1 (where the live
// server listens; initiatives' own domains are NAME.localhost in the tests).
// Environment: CHROMIUM (default /usr/bin/chromium).
import { chromium } from "playwright-core";

export function launchChromium() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    headless: true,
    timeout: 30_000,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--host-resolver-rules=MAP *.localhost 127.0.0.1",
    ],
  });
}

// A page of a new context signed in with a session cookie for `base`'s host, where requests to
// any other host fail (no tile server, no CDN: what the closed test network gives anyway, but
// at once) and script errors are collected in `errors`.
export async function signedInPage(browser, { base, session, errors, viewport = { width: 1400, height: 1000 } }) {
  const context = await browser.newContext({ viewport, locale: "en-US" });
  const host = new URL(base).hostname;
  await context.addCookies([{ name: "sessionid", value: session, domain: host, path: "/" }]);
  await context.route("**/*", (route) => {
    const url = new URL(route.request().url());
    return url.hostname === host || url.protocol === "data:" ? route.continue() : route.abort("blockedbyclient");
  });
  const page = await context.newPage();
  page.setDefaultTimeout(30_000);
  page.on("pageerror", (error) => errors.push(String(error)));
  return page;
}
