import { mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { formatGiB, renderHtml } from '../../src/report/html.js';
import type { Report } from '../../src/report/schema.js';
import { launchChromium, skipBrowserTests } from './browser.js';
import { allFindings, loadSampleReport } from './sampleReport.js';

const HOSTILE_HOST = '<img src=x onerror=alert(1)>';
const HOSTILE_NIC = 'eth4"><script>alert(2)</script>';

describe('renderHtml (without a browser)', () => {
  const report = loadSampleReport();
  const html = renderHtml(report);

  it('is one self-contained document: no external URL, font, image or script', () => {
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).not.toMatch(/<script\b/i);
    expect(html).not.toMatch(/<link\b/i);
    expect(html).not.toMatch(/\b(?:src|href)\s*=\s*"(?!#)/i);
    expect(html).not.toMatch(/url\(|@import|@font-face/i);
    expect(html).not.toMatch(/https?:\/\//i);
  });

  it('escapes report data', () => {
    expect(html).not.toContain(HOSTILE_HOST);
    expect(html).toContain('&lt;img src&#x3D;x onerror&#x3D;alert(1)&gt;');
    expect(html).not.toContain('<script>alert(2)');
  });

  it('states byte sizes in GiB', () => {
    expect(formatGiB(25769803776)).toBe('24.0 GiB');
    expect(formatGiB(536870912)).toBe('0.50 GiB');
    expect(formatGiB(0)).toBe('0.0 GiB');
    expect(formatGiB(undefined)).toBeUndefined();
    expect(html).toContain('24.0 GiB');
  });

  it('renders a report with no hosts, no facts and no findings', () => {
    const empty: Report = { ...report, hosts: [], pool: { findings: [] }, summary: { pass: 0, warn: 0, fail: 0, skip: 0, error: 0, waived: 0 } };
    expect(renderHtml(empty)).toContain('No pool findings.');
    const bare: Report = { ...report, hosts: [{ name: 'h', address: 'local', role: 'master', reachable: true, findings: [] }] };
    expect(renderHtml(bare)).toContain('No findings for this host.');
  });
});

describe.skipIf(skipBrowserTests)('renderHtml in headless Chromium', () => {
  const report = loadSampleReport();
  const html = renderHtml(report);
  let browser: Browser;
  let page: Page;
  const requests: string[] = [];
  const consoleErrors: string[] = [];
  const pageErrors: string[] = [];

  beforeAll(async () => {
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    page.on('request', (r) => requests.push(r.url()));
    page.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(m.text());
    });
    page.on('pageerror', (e) => pageErrors.push(String(e)));
    // Nothing may leave the page; anything that tries is recorded above and refused here.
    await page.route('**/*', (route) => (route.request().url().startsWith('data:') ? route.continue() : route.abort()));
    await page.setContent(html, { waitUntil: 'load' });
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('loads without console errors, page errors or network requests', () => {
    expect(consoleErrors).toEqual([]);
    expect(pageErrors).toEqual([]);
    expect(requests.filter((u) => !u.startsWith('data:') && u !== 'about:blank')).toEqual([]);
  });

  it('shows markup in host and NIC names as text, creating no element from it', async () => {
    const text = await page.evaluate(() => document.body.textContent ?? '');
    expect(text).toContain(HOSTILE_HOST);
    expect(text).toContain(HOSTILE_NIC);
    expect(await page.locator('img').count()).toBe(0);
    expect(await page.locator('script').count()).toBe(0);
    expect(await page.locator('[onerror]').count()).toBe(0);
    const nicCell = await page.locator('td', { hasText: 'alert(2)' }).first().textContent();
    expect(nicCell).toBe(HOSTILE_NIC);
  });

  it('shows every finding with its rule id, status badge and details', async () => {
    const findings = allFindings(report);
    const rendered = await page.locator('article.finding').evaluateAll((els) =>
      els.map((e) => ({
        rule: e.getAttribute('data-rule'),
        badge: e.querySelector('.badge')?.textContent,
        code: e.querySelector('.rule-id')?.textContent,
      })),
    );
    expect(rendered.map((r) => r.rule).sort()).toEqual(findings.map((f) => f.rule).sort());
    for (const r of rendered) {
      expect(r.code).toBe(r.rule);
      expect(r.badge).toMatch(/^(FAIL|WARN|ERROR|WAIVED|SKIP|PASS)$/);
    }
    const staticIp = page.locator('article[data-rule="host.static-ip"]');
    await expect.poll(() => staticIp.locator('.badge').textContent()).toBe('FAIL');
    expect(await staticIp.locator('.remediation dd').textContent()).toContain('xe pif-reconfigure-ip');
    expect(await staticIp.locator('.evidence code').allTextContents()).toContain('xe pif-list params=all');

    const waived = page.locator('article[data-rule="host.nic-speed"]');
    expect(await waived.locator('.badge').textContent()).toBe('WAIVED');
    expect(await waived.locator('.waiver').textContent()).toContain('until 2026-12-31');
    const expired = page.locator('article[data-rule="host.firewall-ports"]');
    expect(await expired.locator('.badge').textContent()).toBe('FAIL');
    expect(await expired.locator('.waiver').textContent()).toMatch(/Waiver expired on 2026-10-31/);
    expect(await page.locator('article[data-rule="host.management-bond"] .finding-body').textContent()).toContain('xe bond-list failed');
  });

  it('puts failures before passes within a host', async () => {
    const order = await page.locator('#host-0 article.finding').evaluateAll((els) => els.map((e) => e.getAttribute('data-status')));
    expect(order.indexOf('fail')).toBe(0);
    expect(order.lastIndexOf('fail')).toBeLessThan(order.indexOf('pass'));
    expect(order.indexOf('warn')).toBeLessThan(order.indexOf('error'));
  });

  it('shows the summary counts from the report', async () => {
    const counts = await page.locator('.cards .card').evaluateAll((els) =>
      Object.fromEntries(els.map((e) => [e.getAttribute('data-status'), Number(e.querySelector('.card-count')?.textContent)])),
    );
    expect(counts).toEqual({ ...report.summary });
    const header = await page.locator('.page-header').textContent();
    expect(header).toContain(report.profile);
    expect(header).toContain(report.tool.version);
    expect(header).toContain('2026-11-25 09:14:03 UTC');
    expect(header).toContain('6.8 s');
  });

  it('marks the unreachable host and gives the reason', async () => {
    const section = page.locator('#host-1');
    expect(await section.locator('.host-name').textContent()).toBe(HOSTILE_HOST);
    expect(await section.locator('.alert').textContent()).toContain('ETIMEDOUT');
  });

  it('shows the facts tables, including five NICs with their addressing mode', async () => {
    const titles = await page.locator('#host-0 .fact-block h4').allTextContents();
    for (const t of ['Processor', 'Memory', 'Disks', 'File systems', 'Storage repositories', 'Network interfaces', 'Routes', 'DNS servers', 'Listening ports']) {
      expect(titles).toContain(t);
    }
    const nicRows = page.locator('#host-0 .fact-block', { has: page.locator('h4', { hasText: 'Network interfaces' }) }).locator('tbody tr');
    expect(await nicRows.count()).toBe(5);
    expect(await nicRows.first().textContent()).toMatch(/DHCP\s*10\.20\.0\.11 · xe:pif/);
    expect(await page.locator('#host-0 .kv').first().textContent()).toContain('2 sockets × 4 cores, 16 logical CPUs');
  });

  it('prints to PDF with the print stylesheet', async () => {
    await page.emulateMedia({ media: 'print' });
    const pdf = await page.pdf({ format: 'A4', printBackground: false });
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pdf.length).toBeGreaterThan(10_000);
    await page.emulateMedia({ media: 'screen' });
  });

  it.runIf(process.env.UPDATE_SCREENSHOT === '1')('saves docs/sample-report.png', async () => {
    mkdirSync(new URL('../../docs/', import.meta.url), { recursive: true });
    await page.setViewportSize({ width: 1200, height: 900 });
    await page.screenshot({ path: new URL('../../docs/sample-report.png', import.meta.url).pathname, fullPage: true });
  });
});
