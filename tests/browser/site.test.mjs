// The built site in a real browser: every page passes axe-core (WCAG 2.1 A and AA), nothing
// overflows on a phone or a desktop, every internal link and anchor resolves, citations work
// without JavaScript, no request leaves the site, the home page stays within its size budget,
// and every HTML file passes the Nu HTML Checker.
//
// SITE_DIR names the built site (default: ../../public). CHROMIUM names the browser (default:
// Debian's /usr/bin/chromium). SITE_NAME prefixes the screenshots (default "": the brief's own);
// MIN_LINKS is how many internal links the site must have at least (default 100). Run from
// .ci/run (on the brief, then on tests/fixtures/pandoc-paper: math, callouts, endnotes, image
// figures), or: cd tests/browser && npm ci && npm test

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { readFileSync, readdirSync, statSync, existsSync, mkdirSync } from "node:fs";
import { join, extname, resolve, dirname, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { execFileSync } from "node:child_process";
import { createRequire } from "node:module";
import { chromium } from "playwright-core";

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const site = resolve(process.env.SITE_DIR ?? join(here, "..", "..", "public"));
const screenshots = join(here, "screenshots");
const siteName = process.env.SITE_NAME ?? "";
const minLinks = Number(process.env.MIN_LINKS ?? 100);
const axeSource = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const vnuJar = join(dirname(require.resolve("vnu-jar/package.json")), "build", "dist", "vnu.jar");

const types = {
  ".html": "text/html; charset=utf-8", ".css": "text/css", ".js": "text/javascript",
  ".csv": "text/csv; charset=utf-8", ".svg": "image/svg+xml", ".xml": "application/xml",
  ".txt": "text/plain", ".bib": "text/plain", ".ris": "text/plain", ".png": "image/png",
};

/// Serves the site on 127.0.0.1 only, never outside its folder; misses get the site's 404 page.
function serve() {
  const server = createServer((request, response) => {
    const path = decodeURIComponent(new URL(request.url, "http://x").pathname);
    let file = resolve(join(site, path));
    if (file !== site && !file.startsWith(site + sep)) {
      response.writeHead(403).end();
      return;
    }
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, "index.html");
    if (!existsSync(file)) {
      response.writeHead(404, { "content-type": types[".html"] }).end(readFileSync(join(site, "404.html")));
      return;
    }
    response.writeHead(200, { "content-type": types[extname(file)] ?? "application/octet-stream" });
    response.end(readFileSync(file));
  });
  return new Promise((done) => server.listen(0, "127.0.0.1", () => done(server)));
}

/// "/" and each section's folder: every directory holding an index.html.
function pagePaths() {
  const paths = ["/"];
  for (const name of readdirSync(site).sort()) {
    if (existsSync(join(site, name, "index.html"))) paths.push(`/${name}/`);
  }
  return paths;
}

let server, origin, browser;
const outside = [];

before(async () => {
  assert.ok(existsSync(join(site, "index.html")), `no built site in ${site}: run brief build first`);
  server = await serve();
  origin = `http://127.0.0.1:${server.address().port}`;
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
      "--disable-component-update", "--disable-sync"],
  });
  mkdirSync(screenshots, { recursive: true });
});

after(async () => {
  await browser?.close();
  server?.close();
});

/// A page in a fresh context that records (and refuses) any request leaving the site.
async function open(path, options = {}) {
  const context = await browser.newContext(options);
  await context.route("**/*", (route) => {
    const url = route.request().url();
    if (url.startsWith(origin)) return route.continue();
    outside.push(url);
    return route.abort();
  });
  const page = await context.newPage();
  const response = await page.goto(origin + path, { waitUntil: "load" });
  assert.equal(response.status(), 200, `${path} answered ${response.status()}`);
  return { page, context };
}

const viewports = [
  { name: "phone", width: 390, height: 844 },
  { name: "desktop", width: 1280, height: 800 },
  // Wide enough for sidenotes beside the text.
  { name: "wide", width: 1700, height: 900 },
];

test("every page passes axe-core and fits a phone and a desktop", async () => {
  for (const path of pagePaths()) {
    for (const viewport of viewports) {
      const { page, context } = await open(path, { viewport });
      await page.addScriptTag({ content: axeSource });
      const result = await page.evaluate(() =>
        window.axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } }));
      const violations = result.violations.map((v) =>
        `${v.id} (${v.impact}): ${v.help}\n    ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join("\n    ")}`);
      assert.deepEqual(violations, [], `${path} at ${viewport.name} width`);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, `${path} overflows ${overflow}px at ${viewport.width}px`);
      const name = siteName + (path === "/" ? "home" : `section-${path.replaceAll("/", "")}`);
      await page.screenshot({ path: join(screenshots, `${name}-${viewport.name}.png`) });
      await context.close();
    }
  }
});

test("every internal link and anchor resolves", async () => {
  const ids = new Map();
  const { page, context } = await open("/");
  async function idsOf(path) {
    if (!ids.has(path)) {
      const response = await context.request.get(origin + path);
      assert.equal(response.status(), 200, `link target ${path} is missing`);
      const html = response.headers()["content-type"]?.startsWith("text/html");
      const found = html
        ? await (async () => {
            await page.goto(origin + path);
            return page.evaluate(() => [...document.querySelectorAll("[id]")].map((e) => e.id));
          })()
        : [];
      ids.set(path, new Set(found));
    }
    return ids.get(path);
  }
  let checked = 0;
  for (const path of pagePaths()) {
    await page.goto(origin + path);
    const hrefs = await page.evaluate(() => [...document.querySelectorAll("a[href]")].map((a) => a.href));
    for (const href of hrefs) {
      if (!href.startsWith(origin)) continue;
      const url = new URL(href);
      const targetIds = await idsOf(url.pathname);
      if (url.hash) {
        const id = decodeURIComponent(url.hash.slice(1));
        assert.ok(targetIds.has(id), `${path}: ${href} has no element with id "${id}"`);
      }
      checked++;
    }
  }
  assert.ok(checked > minLinks, `only ${checked} internal links checked`);
  await context.close();
});

test("without JavaScript, citations are still links to their entries", async () => {
  const { page, context } = await open("/", { javaScriptEnabled: false });
  const broken = await page.evaluate(() => {
    const links = [...document.querySelectorAll(".citation a")];
    return {
      count: links.length,
      broken: links.map((a) => a.getAttribute("href")).filter((h) => !document.getElementById(h.slice(1))),
    };
  });
  assert.ok(broken.count > 0, "the home page has citation links");
  assert.deepEqual(broken.broken, []);
  assert.equal(await page.locator(".cite-preview").count(), 0);
  await context.close();
});

test("a citation shows its entry on hover and on keyboard focus", async () => {
  const { page, context } = await open("/", { viewport: { width: 1280, height: 800 } });
  const link = page.locator(".citation a").first();
  const target = (await link.getAttribute("href")).slice(1);
  const entry = (await page.locator(`[id="${target}"] .reference-text`).textContent()).trim();
  await link.hover();
  assert.equal((await page.locator(".cite-preview").textContent()).trim(), entry);
  await page.keyboard.press("Escape");
  assert.equal(await page.locator(".cite-preview").count(), 0);
  await link.focus();
  assert.equal(await link.getAttribute("aria-describedby"), "cite-preview");
  await context.close();
});

test("no request leaves the site", () => {
  assert.deepEqual(outside, []);
});

test("the home page stays within its size budget", () => {
  const files = ["index.html", "style.css", "brief.js"].map((name) => readFileSync(join(site, name)));
  const raw = files.reduce((sum, file) => sum + file.length, 0);
  const gzipped = files.reduce((sum, file) => sum + gzipSync(file, { level: 9 }).length, 0);
  console.log(`home page: ${(raw / 1024).toFixed(1)} KB, ${(gzipped / 1024).toFixed(1)} KB gzipped (HTML + CSS + JS + inline SVG)`);
  assert.ok(raw < 120 * 1024, `${raw} bytes uncompressed`);
  assert.ok(gzipped < 40 * 1024, `${gzipped} bytes gzipped`);
});

test("every HTML file passes the Nu HTML Checker", () => {
  let output;
  try {
    output = execFileSync("java", ["-jar", vnuJar, "--errors-only", "--skip-non-html", "--format", "json", site], {
      encoding: "utf8", stdio: ["ignore", "pipe", "pipe"],
    });
  } catch (error) {
    output = error.stderr || error.stdout;
  }
  const messages = output.trim() ? JSON.parse(output).messages : [];
  const errors = messages.filter((m) => m.type === "error")
    .map((m) => `${m.url?.replace(/^file:.*?public\//, "")}:${m.lastLine}: ${m.message}`);
  assert.deepEqual(errors, []);
});
