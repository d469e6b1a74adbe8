#!/usr/bin/env node
// Entry point for `npx pastoral …`. The CLI is TypeScript, run through tsx's loader so a
// school data manager needs no build step (and no global install) on Windows or Linux.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
