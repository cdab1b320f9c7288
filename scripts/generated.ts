/**
 * The command line of the generators (editor-data, react-wrappers, vue-types): write each file, or
 * with `--check` exit 1 naming those that differ from what the committed manifest gives.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Whether `moduleUrl` is the script node was started with. */
export const isMain = (moduleUrl: string): boolean =>
  Boolean(process.argv[1]) && fileURLToPath(moduleUrl) === process.argv[1];

/** Writes or checks `files` (paths relative to `root`); TypeScript sources go through prettier. */
export async function writeGenerated(root: string, files: Record<string, string>): Promise<never> {
  const { format, resolveConfig } = await import('prettier');
  const check = process.argv.includes('--check');
  let stale = 0;
  for (const [name, source] of Object.entries(files)) {
    const file = root + name;
    const text = name.endsWith('.ts')
      ? await format(source, { ...(await resolveConfig(file)), filepath: file })
      : source;
    if (!check) writeFileSync(file, text);
    else if (readFileSync(file, 'utf8') !== text) {
      console.error(`${name} is not current with custom-elements.json: run \`npm run build:manifest\`.`);
      stale++;
    }
  }
  process.exit(stale ? 1 : 0);
}
