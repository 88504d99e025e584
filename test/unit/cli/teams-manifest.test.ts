import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import { strFromU8, unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../src/cli.js';
import { createCommandRegistry } from '../../../src/commands/registry.js';
import { Capture, ENV } from './fakes.js';

const BOT = '5b0f6d3e-2c4a-4e1b-9f7d-0a1b2c3d4e5f';

/** Width, height and RGBA pixels of one of our PNGs (8-bit RGBA, unfiltered rows, one IDAT). */
function readPng(bytes: Uint8Array): { width: number; height: number; pixel: (x: number, y: number) => number[] } {
  const buf = Buffer.from(bytes);
  expect(buf.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  const width = buf.readUInt32BE(16);
  const height = buf.readUInt32BE(20);
  const idat = buf.indexOf('IDAT');
  const raw = inflateSync(buf.subarray(idat + 4, idat + 4 + buf.readUInt32BE(idat - 4)));
  return { width, height, pixel: (x, y) => [...raw.subarray(y * (width * 4 + 1) + 1 + x * 4, y * (width * 4 + 1) + 5 + x * 4)] };
}

async function run(args: string[]) {
  const io = { stdout: new Capture(), stderr: new Capture(), env: { ...ENV }, registry: createCommandRegistry() };
  const code = await runCli(args, io as never);
  return { code, stdout: io.stdout.text, stderr: io.stderr.text };
}

describe('teams-manifest', () => {
  it('writes a zip with the manifest for the bot and both icons at the sizes Teams requires', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'teams-manifest-')), 'app.zip');
    const { code, stdout } = await run(['teams-manifest', '--bot-id', BOT, '--url', 'https://s3-chatops.example.org/x', '--out', out]);
    expect(code).toBe(0);
    expect(stdout).toContain(out);
    const files = unzipSync(readFileSync(out));
    expect(Object.keys(files).sort()).toEqual(['color.png', 'manifest.json', 'outline.png']);
    const manifest = JSON.parse(strFromU8(files['manifest.json']!)) as Record<string, any>;
    expect(manifest.id).toBe(BOT);
    expect(manifest.bots[0].botId).toBe(BOT);
    expect(manifest.bots[0].scopes).toEqual(['personal', 'team', 'groupChat']);
    expect(manifest.validDomains).toEqual(['s3-chatops.example.org']);
    expect(manifest.icons).toEqual({ color: 'color.png', outline: 'outline.png' });
    // The bot's command list is the registry's, within Teams' limits.
    const commands = manifest.bots[0].commandLists[0].commands as { title: string; description: string }[];
    expect(commands.map((c) => c.title)).toEqual(createCommandRegistry().specs.map((s) => s.verb));
    expect(commands.every((c) => c.title.length <= 32 && c.description.length <= 128)).toBe(true);
    const color = readPng(files['color.png']!);
    expect([color.width, color.height]).toEqual([192, 192]);
    expect(color.pixel(0, 0)[3]).toBe(255);
    const outline = readPng(files['outline.png']!);
    expect([outline.width, outline.height]).toEqual([32, 32]);
    // The outline icon is white on transparent, nothing else.
    for (let y = 0; y < 32; y += 1) {
      for (let x = 0; x < 32; x += 1) {
        const [r, g, b, a] = outline.pixel(x, y);
        expect(a === 0 || (r === 255 && g === 255 && b === 255 && a === 255)).toBe(true);
      }
    }
    expect(outline.pixel(16, 16)).toEqual([255, 255, 255, 255]);
    expect(outline.pixel(0, 0)[3]).toBe(0);
  });

  it('refuses a bot id that is not a GUID and a URL that is not https, writing nothing', async () => {
    const bad = await run(['teams-manifest', '--bot-id', 'my-bot', '--url', 'https://s3-chatops.example.org']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('GUID');
    const http = await run(['teams-manifest', '--bot-id', BOT, '--url', 'http://s3-chatops.example.org']);
    expect(http.code).toBe(2);
    expect(http.stderr).toContain('https');
    const missing = await run(['teams-manifest', '--url', 'https://s3-chatops.example.org']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('--bot-id');
  });
});
