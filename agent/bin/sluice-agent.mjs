#!/usr/bin/env node
// sluice-agent: registers the TypeScript loader (tsx) in-process, then runs the CLI.
import { register } from 'tsx/esm/api';

register();
await import(new URL('../src/cli/main.ts', import.meta.url).href);
