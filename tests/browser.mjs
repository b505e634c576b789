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
