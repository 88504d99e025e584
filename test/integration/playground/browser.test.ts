/// <reference lib="dom" />
// The playground in a real browser (Debian's headless chromium, driven by playwright-core):
// `start --demo` as a person runs it, then type a command, press Run test upload, preview a
// cleanup, confirm Delete in its dialog, and see each answer; a hostile object key stays text.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ListObjectVersionsCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAwsClients } from '../../../src/aws/clients.js';
import { silentLogger } from '../../../src/lib/logger.js';
import { DEMO } from '../../../src/playground/demo-seed.js';
import { logLine } from '../../fixtures/access-logs/log-lines.js';
import { stopChild } from '../../helpers/child-process.js';
import { logObjects, putLogObjects } from '../access-logs/seed-logs.js';
import { describeWithServices } from '../../helpers/services.js';
import { freePort } from '../../../src/lib/free-port.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const CHROMIUM = '/usr/bin/chromium';
// Short enough to be shown whole in the uploads table.
const HOSTILE_KEY = 'cases/<img src=x onerror=__pwned=1> *b* <@U0VICTIM> <https://evil.example|x>';
const STEP_MS = 90_000;

const missingChromium = !existsSync(CHROMIUM);
if (missingChromium && process.env.CI === 'true') {
  // In CI the browser test must run: a missing browser fails the run rather than skipping it.
  describe('playground in a browser', () => {
    it('needs Debian\'s chromium', () => {
      throw new Error(`${CHROMIUM} is missing (CI=true); scripts/test.sh installs it with apt-get install chromium`);
    });
  });
} else if (missingChromium) {
  console.warn(`[skipped] playground in a browser: ${CHROMIUM} is missing (apt-get install chromium)`);
  describe.skip(`playground in a browser (skipped: ${CHROMIUM} is missing)`, () => undefined);
} else {
  describeWithServices('playground in a browser: start --demo, commands and every button (headless chromium)', () => {
    let child: ChildProcess;
    let output = '';
    let url: string;
    let awsEndpoint: string;
    let s3: S3Client;
    let context: BrowserContext;
    let page: Page;
    const userDataDir = mkdtempSync(join(tmpdir(), 's3-chatops-chromium-'));
    const pageErrors: string[] = [];

    beforeAll(async () => {
      const port = await freePort();
      child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'start', '--demo'], {
        cwd: ROOT,
        // No Slack settings and no AWS account: what a newcomer has.
        env: { PATH: process.env.PATH ?? '', HOME: userDataDir, PORT: String(port), LOG_LEVEL: 'info', NO_COLOR: '1', ...(process.env.MOTO_PYTHON ? { MOTO_PYTHON: process.env.MOTO_PYTHON } : {}) },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
      // Starting moto, seeding it and starting the bot can be slow on a loaded machine.
      const deadline = Date.now() + 3 * STEP_MS;
      while (!/The playground is on /.test(output) && child.exitCode === null && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
      url = /The playground is on (http:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1] ?? '';
      expect(url, output).toBe(`http://127.0.0.1:${port}`);
      awsEndpoint = /"awsEndpoint":"([^"]+)"/.exec(output)![1]!;
      s3 = createAwsClients({ region: 'us-east-1', endpoint: awsEndpoint, logger: silentLogger(), credentials: { accessKeyId: 'demo', secretAccessKey: 'demo' } }).s3;

      context = await chromium.launchPersistentContext(userDataDir, {
        executablePath: CHROMIUM,
        headless: true,
        args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      });
      page = await context.newPage();
      page.on('pageerror', (error) => pageErrors.push(error.message));
      await page.goto(url);
      await page.locator('#about', { hasText: 'U0PLAYGROUND' }).waitFor({ timeout: STEP_MS });
    }, 5 * STEP_MS);

    afterAll(async () => {
      await context?.close();
      s3?.destroy();
      if (child) await stopChild(child);
      rmSync(userDataDir, { recursive: true, force: true });
    });

    const type = async (command: string) => {
      await page.fill('#command', command);
      await page.press('#command', 'Enter');
    };
    /** The bot's message (top level or in a thread) that contains `text`. */
    const botMessage = (text: string) => page.locator('article.message', { hasText: text }).filter({ has: page.locator('.who', { hasText: 's3-chatops' }) }).last();

    it('answers /s3 status with the Block Kit our Slack renderer made: header, bold field labels, code, buttons', async () => {
      await type('/s3 status demo');
      const status = botMessage('S3 status: demo');
      await status.waitFor({ timeout: STEP_MS });
      await expect.poll(() => status.locator('.header').first().textContent()).toBe('S3 status: demo');
      // `*Objects*` is bold, the bucket name a code span, the request metrics from the seeded datapoints.
      expect(await status.locator('.fields b', { hasText: 'Objects' }).count()).toBe(1);
      expect(await status.locator('code', { hasText: DEMO.bucket }).count()).toBeGreaterThan(0);
      expect(await status.textContent()).toContain('Error rate (1 h)');
      expect(await status.locator('.actions button').allTextContents()).toEqual(['Refresh', 'Run test upload', 'Clean up test files']);
    }, STEP_MS);

    it('Run test upload answers in the status message\'s thread that the upload worked', async () => {
      const status = botMessage('S3 status: demo');
      await status.locator('button', { hasText: 'Run test upload' }).click();
      // First "Running a test upload…", then the result, both in the thread.
      const result = status.locator('.thread article', { hasText: new RegExp(`Test upload to ${DEMO.alias} .*(worked|failed)`) });
      await result.waitFor({ timeout: STEP_MS });
      expect(await result.textContent()).toContain(`Test upload to ${DEMO.alias} (${DEMO.bucket}) worked`);
    }, STEP_MS);

    it('Clean up test files previews, Delete asks in a dialog, and once confirmed the old test files are deleted', async () => {
      const old = await testVersions(s3, (age) => age > 7 * 86_400_000);
      expect(old.length).toBe(5);
      await botMessage('S3 status: demo').locator('button', { hasText: 'Clean up test files' }).click();
      const preview = botMessage(`Clean up ${DEMO.alias}`);
      await preview.waitFor({ timeout: STEP_MS });
      const del = preview.locator('button.danger', { hasText: 'Delete' });
      expect(await del.count()).toBe(1);

      // Keep them: the dialog closes and nothing is deleted.
      await del.click();
      await page.locator('#dialog:not([hidden])').waitFor();
      expect(await page.locator('#dialog-title').textContent()).toBe('Delete test files?');
      expect(await page.locator('#dialog-text').textContent()).toContain('permanently deletes');
      await page.locator('#dialog-deny', { hasText: 'Keep them' }).click();
      await page.locator('#dialog').waitFor({ state: 'hidden' });
      expect(await testVersions(s3, (age) => age > 7 * 86_400_000)).toHaveLength(5);

      await del.click();
      await page.locator('#dialog-confirm', { hasText: 'Delete' }).click();
      const done = botMessage(`Cleaned up ${DEMO.alias}`);
      await done.waitFor({ timeout: STEP_MS });
      expect(await done.textContent()).toContain('confirmed by @U0PLAYGROUND');
      expect(await testVersions(s3, (age) => age > 7 * 86_400_000)).toEqual([]);
      // The test file of yesterday is younger than cleanup.olderThanDays and stays.
      expect((await testVersions(s3, (age) => age > 12 * 3_600_000 && age < 2 * 86_400_000)).length).toBe(1);
    }, 2 * STEP_MS);

    it('shows a hostile object key as text: no element, link, mention or formatting comes of it', async () => {
      // Uploads come from the server access log: a record of the key's upload, delivered now.
      await s3.send(new PutObjectCommand({ Bucket: DEMO.bucket, Key: HOSTILE_KEY, Body: 'x' }));
      const record = logLine({ bucket: DEMO.bucket, at: new Date(Date.now() - 60_000), operation: 'REST.PUT.OBJECT', key: encodeURIComponent(HOSTILE_KEY).replace(/%2F/g, '/'), status: 200, size: 1 });
      await putLogObjects(s3, DEMO.logBucket, logObjects({ prefix: DEMO.logPrefix, partitioned: false, sourceBucket: DEMO.bucket }, new Date(), [record]));
      await type(`/s3 uploads ${DEMO.alias} --prefix cases/<img`);
      const uploads = botMessage('<img src=x onerror=__pwned=1>');
      await uploads.waitFor({ timeout: STEP_MS });
      expect(await uploads.textContent()).toContain(HOSTILE_KEY);
      expect(await page.locator('#log img').count()).toBe(0);
      expect(await page.locator('#log a[href*="evil.example"]').count()).toBe(0);
      expect(await uploads.locator('.mention').count()).toBe(0);
      expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
      expect(pageErrors).toEqual([]);
    }, STEP_MS);

    it('renders Block Kit with DOM elements only: mrkdwn, fields, context, divider, button styles and a confirm dialog', async () => {
      // The page's own module, as the page loaded it (a string, so the test runner leaves its import alone).
      await page.evaluate("import('/page.js').then((m) => { window.__renderBlocks = m.renderBlocks; })");
      const shown = await page.evaluate(async () => {
        const renderBlocks = (window as unknown as { __renderBlocks: (blocks: unknown[], press: (p: unknown) => void) => HTMLElement }).__renderBlocks;
        const pressed: unknown[] = [];
        const el = renderBlocks(
          [
            { type: 'header', text: { type: 'plain_text', text: '<b>not bold</b>' } },
            { type: 'section', text: { type: 'mrkdwn', text: '*bold* _it_ `code` <https://docs.example/a|docs> <javascript:alert(1)|bad> <@U0ADMIN>\n```\npre  line\n```' } },
            { type: 'section', fields: [{ type: 'mrkdwn', text: '*Label*\nvalue' }, { type: 'plain_text', text: '*plain*' }] },
            { type: 'context', elements: [{ type: 'mrkdwn', text: 'small &lt;print&gt;' }] },
            { type: 'divider' },
            { type: 'actions', elements: [
              { type: 'button', action_id: 'go', text: { type: 'plain_text', text: 'Go' }, style: 'primary', value: 'v1' },
              { type: 'button', action_id: 'rm', text: { type: 'plain_text', text: 'Remove' }, style: 'danger', value: 'v2', confirm: { title: { type: 'plain_text', text: 'Sure?' }, text: { type: 'mrkdwn', text: 'This *removes* it' }, confirm: { type: 'plain_text', text: 'Yes, remove' }, deny: { type: 'plain_text', text: 'No' } } },
            ] },
          ],
          (p) => pressed.push(p),
        );
        document.body.append(el);
        const buttons = Array.from(el.querySelectorAll('.actions button')) as HTMLButtonElement[];
        buttons[0]!.click();
        buttons[1]!.click();
        await new Promise((r) => setTimeout(r, 50));
        const dialogOpen = !(document.getElementById('dialog') as HTMLElement).hidden;
        const dialogText = document.getElementById('dialog-text')!.innerHTML;
        (document.getElementById('dialog-confirm') as HTMLButtonElement).click();
        await new Promise((r) => setTimeout(r, 50));
        const html = el.innerHTML;
        el.remove();
        return {
          header: el.querySelector('.header')?.textContent,
          headerHasB: el.querySelector('.header b') !== null,
          bold: el.querySelector('.section b')?.textContent,
          italic: el.querySelector('.section i')?.textContent,
          code: el.querySelector('.section code')?.textContent,
          links: Array.from(el.querySelectorAll('a')).map((a) => [a.textContent, a.getAttribute('href')]),
          mention: el.querySelector('.mention')?.textContent,
          pre: el.querySelector('pre')?.textContent,
          fieldBold: el.querySelector('.fields b')?.textContent,
          plainField: el.querySelectorAll('.fields .field')[1]?.textContent,
          context: el.querySelector('.context')?.textContent,
          dividers: el.querySelectorAll('hr').length,
          classes: buttons.map((b) => b.className),
          dialogOpen,
          dialogText,
          pressed,
          hasJavascriptHref: html.includes('javascript:'),
        };
      });
      expect(shown).toMatchObject({
        header: '<b>not bold</b>',
        headerHasB: false,
        bold: 'bold',
        italic: 'it',
        code: 'code',
        links: [['docs', 'https://docs.example/a']],
        mention: '@U0ADMIN',
        pre: 'pre  line',
        fieldBold: 'Label',
        plainField: '*plain*',
        context: 'small <print>',
        dividers: 1,
        classes: ['primary', 'danger'],
        dialogOpen: true,
        dialogText: '<div class="mrkdwn">This <b>removes</b> it</div>',
        pressed: [
          { actionId: 'go', blockId: '', value: 'v1', text: 'Go' },
          { actionId: 'rm', blockId: '', value: 'v2', text: 'Remove' },
        ],
        hasJavascriptHref: false,
      });
      expect(pageErrors).toEqual([]);
    }, STEP_MS);

    it('shows the worker\'s alert in the alert channel, and Acknowledge edits it to say who acknowledged', async () => {
      // The demo evaluates alerts every minute; its month-end cost forecast is over its budget.
      const alert = page.locator('article.message', { hasText: 'cost-budget firing' }).filter({ has: page.locator('.meta', { hasText: '#alerts (C0ALERTS)' }) }).first();
      await alert.waitFor({ timeout: STEP_MS });
      expect(await alert.locator('.actions button').allTextContents()).toEqual(['Snooze 1 h', 'Snooze 4 h', 'Snooze 24 h', 'Acknowledge']);
      await alert.locator('button', { hasText: 'Acknowledge' }).click();
      await page.locator('article.message', { hasText: 'Acknowledged by @U0PLAYGROUND' }).first().waitFor({ timeout: STEP_MS });
    }, 2 * STEP_MS);

    it('stops the demo\'s emulator when it stops', async () => {
      await stopChild(child);
      expect(child.exitCode, output.slice(-2_000)).toBe(0);
      await expect(fetch(`${awsEndpoint}/moto-api/`, { signal: AbortSignal.timeout(2_000) })).rejects.toThrow();
    }, STEP_MS);
  });
}

/** Versions (and delete markers) under the demo's test prefix whose age passes `keep`. */
async function testVersions(s3: S3Client, keep: (ageMs: number) => boolean): Promise<string[]> {
  const out = await s3.send(new ListObjectVersionsCommand({ Bucket: DEMO.bucket, Prefix: DEMO.testPrefix }));
  const now = Date.now();
  return [...(out.Versions ?? []), ...(out.DeleteMarkers ?? [])].filter((v) => keep(now - (v.LastModified?.getTime() ?? now))).map((v) => `${v.Key}@${v.VersionId}`);
}

