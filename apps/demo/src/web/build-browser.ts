// `pnpm build` step: writes the browser bundle the web demo serves (dist/web/public/app.js).
import { mkdir, writeFile } from 'node:fs/promises';
import { bundleBrowserApp } from './bundle.js';

const out = new URL('./public/', import.meta.url);
await mkdir(out, { recursive: true });
const script = await bundleBrowserApp();
await writeFile(new URL('app.js', out), script);
process.stdout.write(`browser bundle: ${String(Math.round(script.length / 1024))} KiB\n`);
