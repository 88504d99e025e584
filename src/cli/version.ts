/** `s3-chatops --version`: the version in the package's own package.json. */
import { readFile } from 'node:fs/promises';

/** Reads the version of the installed package (src/cli and dist/cli sit two levels below its root). */
export async function packageVersion(): Promise<string> {
  const text = await readFile(new URL('../../package.json', import.meta.url), 'utf8');
  return (JSON.parse(text) as { version: string }).version;
}
